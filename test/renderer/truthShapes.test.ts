import { describe, expect, it } from 'vitest';
import type { GroundTruthFinding } from '../../main/api/domain.js';
import { outlineSegments, truthLabelLines } from '../../renderer/viewer/layers/truthShapes.js';

const base: GroundTruthFinding = {
  id: 1,
  imageId: 1,
  abnormalityClass: 'MASS',
  severity: 'M',
  circle: null,
  source: 'cbis-ddsm',
};
const details = {
  author: 'CBIS-DDSM',
  pathology: 'BENIGN_WITHOUT_CALLBACK',
  breastDensity: 2,
  assessment: 3,
  subtlety: 4,
  massShape: null,
  massMargins: null,
  officialSplit: 'train' as const,
};

describe('Truth layer labels', () => {
  it('names the pathology, then the BI-RADS assessment and subtlety', () => {
    expect(truthLabelLines({ ...base, details })).toEqual([
      'MASS BENIGN WITHOUT CALLBACK',
      'BI-RADS 3 · subtlety 4/5',
    ]);
    expect(truthLabelLines({ ...base, details: { ...details, assessment: null, subtlety: null } })).toEqual([
      'MASS BENIGN WITHOUT CALLBACK',
    ]);
  });

  it('says when a box has no pathology of its own, and keeps mini-MIAS labels as they were', () => {
    expect(truthLabelLines({ ...base, severity: null, details: { ...details, pathology: null } })[0]).toBe(
      'MASS pathology not assigned',
    );
    expect(truthLabelLines({ ...base, abnormalityClass: 'CIRC', severity: 'B', source: 'mias' })).toEqual([
      'CIRC B',
    ]);
  });
});

describe('outline segments', () => {
  /** Segments as 'x1,y1-x2,y2' strings, each edge direction-free. */
  const edges = (segments: Float32Array): Set<string> => {
    const out = new Set<string>();
    for (let i = 0; i < segments.length; i += 4) {
      const a = `${segments[i]},${segments[i + 1]}`;
      const b = `${segments[i + 2]},${segments[i + 3]}`;
      out.add(a < b ? `${a}-${b}` : `${b}-${a}`);
    }
    return out;
  };

  it('traces the pixel edges between inside and outside of an L-shaped mask', () => {
    // 5 x 4 image; inside: (1,1), (2,1), (1,2) as (column, row).
    const data = new Uint8Array(20);
    for (const [column, row] of [
      [1, 1],
      [2, 1],
      [1, 2],
    ] as const)
      data[row * 5 + column] = 1;
    const segments = outlineSegments({ columns: 5, rows: 4, data }, { left: 1, top: 1, width: 2, height: 2 });
    // The L's perimeter is 8 pixel edges.
    expect(edges(segments)).toEqual(
      new Set(['1,1-2,1', '2,1-3,1', '3,1-3,2', '2,2-3,2', '2,2-2,3', '1,3-2,3', '1,2-1,3', '1,1-1,2']),
    );
  });

  it('traces a large outline on coarser cells, still around the mask', () => {
    const columns = 1200;
    const rows = 1200;
    const data = new Uint8Array(columns * rows);
    for (let r = 100; r < 1100; r++) data.fill(1, r * columns + 100, r * columns + 1100);
    const segments = outlineSegments(
      { columns, rows, data },
      { left: 100, top: 100, width: 1000, height: 1000 },
    );
    expect(segments.length / 4).toBeLessThanOrEqual(4 * 256);
    const xs = segments.filter((_, i) => i % 2 === 0);
    const ys = segments.filter((_, i) => i % 2 === 1);
    // Within one cell (4 px) of the square's edges.
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(96);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1104);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(96);
    expect(Math.max(...ys)).toBeLessThanOrEqual(1104);
  });
});
