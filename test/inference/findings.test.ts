import { describe, expect, it } from 'vitest';
import { extractFindings } from '../../main/inference/findings.js';

describe('extractFindings', () => {
  it('labels 8-connected regions above the threshold and describes them', () => {
    // prettier-ignore
    const p = [
      0.9, 0.6, 0,   0,
      0,   0,   0.7, 0,
      0,   0,   0,   0,
      0.55, 0,  0,   0,
    ];
    const findings = extractFindings(p, 4, 4, 0.5, [0.5, 0.5]);
    expect(findings).toHaveLength(2);
    const [first, second] = findings;
    expect(first).toMatchObject({ index: 1, areaPixels: 3, areaMm2: 0.75, maxProbability: 0.9 });
    expect(first!.bounds).toEqual({ top: 0, left: 0, bottom: 1, right: 2 });
    expect(first!.centroidColumn).toBeCloseTo(1);
    expect(first!.meanProbability).toBeCloseTo((0.9 + 0.6 + 0.7) / 3);
    expect(second).toMatchObject({ index: 2, areaPixels: 1, maxProbability: 0.55, centroidRow: 3 });
  });

  it('drops components below the minimum area and reports unknown spacing as null area', () => {
    const p = new Float32Array(100);
    p[0] = 1;
    for (const i of [55, 56, 65, 66]) p[i] = 0.8;
    const findings = extractFindings(p, 10, 10, 0.5, null, 2);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ areaPixels: 4, areaMm2: null });
  });
});
