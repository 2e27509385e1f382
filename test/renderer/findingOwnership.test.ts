import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../main/evaluation/bootstrap.js';
import { type OwnedFinding, pixelsOwnedBy } from '../../renderer/editing/tools/findingOwnership.js';
import { pixelsOwnedIn, wholeImageOwnership } from '../helpers/wholeImageOwnership.js';

/** Every finding's pixels, by its index. */
function ownership(
  mask: Uint8Array,
  columns: number,
  map: Uint8Array,
  threshold: number,
  findings: readonly OwnedFinding[],
  gapPixels: number,
): Map<number, number[]> {
  return new Map(
    findings.map((f) => [
      f.index,
      Array.from(pixelsOwnedBy(mask, columns, map, threshold, findings, gapPixels, f.index)),
    ]),
  );
}

/** A mask drawn as text: '#' inside, '.' outside; the map is 200 at 'P' (a finding's core), else 60. */
function picture(lines: string[]): { mask: Uint8Array; map: Uint8Array; columns: number } {
  const columns = lines[0]!.length;
  const cells = lines.join('');
  return {
    columns,
    mask: Uint8Array.from(cells, (ch) => (ch === '.' ? 0 : 1)),
    map: Uint8Array.from(cells, (ch) => (ch === 'P' ? 200 : ch === '.' ? 0 : 60)),
  };
}

describe('pixelsOwnedBy (which AI finding a mask pixel belongs to)', () => {
  it('gives a rejected finding its corner-joined skirt and the specks beside it, and nothing far away', () => {
    const { mask, map, columns } = picture([
      '..........',
      '.##PP##...',
      '..#PP#....',
      '...##.....',
      '.....#....', // joined to the blob only at a corner
      '..........',
      '....##....', // a speck one pixel below, inside no outline
      '..........',
      '..........',
      '..........',
      '..........',
      '........##', // far away: no finding's
    ]);
    const finding = { index: 1, bounds: { top: 1, left: 3, bottom: 2, right: 4 }, maxProbability: 200 / 255 };
    const owned = pixelsOwnedBy(mask, columns, map, 0.2, [finding], 2, 1);
    const at = (row: number, column: number) => row * columns + column;
    expect(Array.from(owned)).toEqual([
      at(1, 1),
      at(1, 2),
      at(1, 3),
      at(1, 4),
      at(1, 5),
      at(1, 6),
      at(2, 2),
      at(2, 3),
      at(2, 4),
      at(2, 5),
      at(3, 3),
      at(3, 4),
      at(4, 5),
      at(6, 4),
      at(6, 5),
    ]);
    // Without a gap, the speck is left: what a 4-connected flood left as a fragment.
    const noGap = Array.from(pixelsOwnedBy(mask, columns, map, 0.2, [finding], 0, 1));
    expect(noGap).not.toContain(at(6, 4));
    expect(noGap).toContain(at(4, 5));
  });

  it('splits one blob between two findings by nearness, so rejecting one leaves the other', () => {
    const { mask, map, columns } = picture(['############', '#PP######PP#', '############']);
    const findings = [
      { index: 1, bounds: { top: 1, left: 1, bottom: 1, right: 2 }, maxProbability: 200 / 255 },
      { index: 2, bounds: { top: 1, left: 9, bottom: 1, right: 10 }, maxProbability: 200 / 255 },
    ];
    const owned = ownership(mask, columns, map, 0.2, findings, 2);
    for (let row = 0; row < 3; row++) {
      expect(owned.get(1)).toContain(row * columns + 0);
      expect(owned.get(1)).toContain(row * columns + 4);
      expect(owned.get(2)).toContain(row * columns + 7);
      expect(owned.get(2)).toContain(row * columns + 11);
    }
    expect(owned.get(1)!.length + owned.get(2)!.length).toBe(36);
  });

  it('owns nothing of a finding the reader erased, and only mask pixels', () => {
    const { mask, map, columns } = picture(['.PP.', '....']);
    mask[1] = 0;
    mask[2] = 0;
    const owned = pixelsOwnedBy(
      mask,
      columns,
      map,
      0.2,
      [{ index: 1, bounds: { top: 0, left: 1, bottom: 0, right: 2 }, maxProbability: 200 / 255 }],
      2,
      1,
    );
    expect(Array.from(owned)).toEqual([]);
  });

  it('owns nothing without findings, or for a finding whose bounds miss the image', () => {
    const { mask, map, columns } = picture(['.PP.', '.##.']);
    expect(Array.from(pixelsOwnedBy(mask, columns, map, 0.2, [], 2, 1))).toEqual([]);
    const outside = { index: 1, bounds: { top: 5, left: 9, bottom: 7, right: 12 }, maxProbability: 0.9 };
    expect(Array.from(pixelsOwnedBy(mask, columns, map, 0.2, [outside], 2, 1))).toEqual([]);
    const inside = { index: 2, bounds: { top: 0, left: 1, bottom: 0, right: 2 }, maxProbability: 200 / 255 };
    expect(Array.from(pixelsOwnedBy(mask, columns, map, 0.2, [outside, inside], 2, 2))).toEqual([1, 2, 5, 6]);
  });
});

/**
 * A generated AI result on a `columns` x `rows` image: blobs of mask (map 60-120) with cores
 * (150-255) that are findings, some cores erased, specks, and random walks that join blobs into
 * pieces far larger than a finding (the flood's window has to grow over them).
 */
function scene(random: () => number, columns: number, rows: number) {
  const mask = new Uint8Array(columns * rows);
  const map = new Uint8Array(columns * rows);
  const findings: OwnedFinding[] = [];
  const pick = (n: number) => Math.floor(random() * n);
  const ellipse = (cr: number, cc: number, rr: number, rc: number, paint: (i: number) => void) => {
    for (let r = Math.max(0, Math.floor(cr - rr)); r <= Math.min(rows - 1, Math.ceil(cr + rr)); r++)
      for (let c = Math.max(0, Math.floor(cc - rc)); c <= Math.min(columns - 1, Math.ceil(cc + rc)); c++)
        if (((r - cr) / rr) ** 2 + ((c - cc) / rc) ** 2 <= 1) paint(r * columns + c);
  };
  for (let blob = 1 + pick(6); blob > 0; blob--) {
    const [cr, cc] = [pick(rows), pick(columns)];
    const [rr, rc] = [1 + random() * rows * 0.2, 1 + random() * columns * 0.2];
    ellipse(cr, cc, rr, rc, (i) => {
      mask[i] = 1;
      map[i] = 60 + pick(61);
    });
    if (random() < 0.8) {
      const peak = 150 + pick(106);
      ellipse(cr, cc, rr / 2, rc / 2, (i) => {
        map[i] = Math.max(map[i]!, peak - pick(40));
        if (random() < 0.1) mask[i] = 0;
      });
      findings.push({
        index: findings.length + 1 + pick(2),
        bounds: {
          top: Math.floor(cr - rr / 2) - pick(3),
          left: Math.floor(cc - rc / 2) - pick(3),
          bottom: Math.ceil(cr + rr / 2) + pick(3),
          right: Math.ceil(cc + rc / 2) + pick(3),
        },
        maxProbability: peak / 255,
      });
    }
  }
  for (let walk = pick(4); walk > 0; walk--) {
    let [r, c] = [pick(rows), pick(columns)];
    for (let step = pick(2 * (rows + columns)); step > 0; step--) {
      mask[r * columns + c] = 1;
      r = Math.min(rows - 1, Math.max(0, r + pick(3) - 1));
      c = Math.min(columns - 1, Math.max(0, c + pick(3) - 1));
    }
  }
  for (let speck = pick(40); speck > 0; speck--) mask[pick(rows) * columns + pick(columns)] = 1;
  // Indices are distinct (a finding's index names it).
  const distinct = findings.filter((f, k) => findings.findIndex((g) => g.index === f.index) === k);
  return { mask, map, findings: distinct };
}

describe('pixelsOwnedBy equals the whole-image flood (the first rule, test/helpers/wholeImageOwnership)', () => {
  it('on 60 generated images from 1x1 to 300x220, every finding, gaps 0 to 9 pixels', () => {
    const random = seededRandom(18);
    let compared = 0;
    for (let k = 0; k < 60; k++) {
      const columns = 1 + Math.floor(random() * (k < 10 ? 12 : 300));
      const rows = 1 + Math.floor(random() * (k < 10 ? 12 : 220));
      const { mask, map, findings } = scene(random, columns, rows);
      const gap = [0, 1, 2, 3.5, 5, 9][Math.floor(random() * 6)]!;
      const owner = wholeImageOwnership(mask, columns, map, 0.2, findings, gap);
      for (const finding of findings) {
        const expected = Array.from(pixelsOwnedIn(owner, finding.index));
        const owned = Array.from(pixelsOwnedBy(mask, columns, map, 0.2, findings, gap, finding.index));
        expect(owned, `image ${k} (${columns}x${rows}, gap ${gap}), finding ${finding.index}`).toEqual(
          expected,
        );
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('on a full-field image (3328 x 4084): findings joined along the whole image by a stroke, and apart', () => {
    const [columns, rows] = [3328, 4084];
    const { mask, map, findings } = scene(seededRandom(4084), columns, rows);
    // A reader's stroke from top to bottom, touching several findings' blobs.
    for (let r = 0; r < rows; r++) for (let c = 1600; c < 1606; c++) mask[r * columns + c] = 1;
    const owner = wholeImageOwnership(mask, columns, map, 0.2, findings, 14.3);
    expect(findings.length).toBeGreaterThan(1);
    for (const finding of findings) {
      const expected = pixelsOwnedIn(owner, finding.index);
      const owned = pixelsOwnedBy(mask, columns, map, 0.2, findings, 14.3, finding.index);
      expect(owned.length).toBe(expected.length);
      expect(owned.every((i, k) => i === expected[k])).toBe(true);
    }
  }, 120_000);
});
