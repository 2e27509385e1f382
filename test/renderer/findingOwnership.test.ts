import { describe, expect, it } from 'vitest';
import { findingOwnership, pixelsOwnedBy } from '../../renderer/editing/tools/findingOwnership.js';

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

describe('findingOwnership', () => {
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
    const owner = findingOwnership(mask, columns, map, 0.2, [finding], 2);
    const owned = pixelsOwnedBy(owner, 1);
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
    expect(owner[at(11, 8)]).toBe(0);
    expect(owner[at(11, 9)]).toBe(0);
    // Without a gap, the speck is left: what a 4-connected flood left as a fragment.
    const noGap = findingOwnership(mask, columns, map, 0.2, [finding], 0);
    expect(noGap[at(6, 4)]).toBe(0);
    expect(noGap[at(4, 5)]).toBe(1);
  });

  it('splits one blob between two findings by nearness, so rejecting one leaves the other', () => {
    const { mask, map, columns } = picture(['############', '#PP######PP#', '############']);
    const findings = [
      { index: 1, bounds: { top: 1, left: 1, bottom: 1, right: 2 }, maxProbability: 200 / 255 },
      { index: 2, bounds: { top: 1, left: 9, bottom: 1, right: 10 }, maxProbability: 200 / 255 },
    ];
    const owner = findingOwnership(mask, columns, map, 0.2, findings, 2);
    for (let row = 0; row < 3; row++) {
      expect(owner[row * columns + 0]).toBe(1);
      expect(owner[row * columns + 4]).toBe(1);
      expect(owner[row * columns + 7]).toBe(2);
      expect(owner[row * columns + 11]).toBe(2);
    }
    expect(pixelsOwnedBy(owner, 1).length + pixelsOwnedBy(owner, 2).length).toBe(36);
  });

  it('owns nothing of a finding the reader erased, and only mask pixels', () => {
    const { mask, map, columns } = picture(['.PP.', '....']);
    mask[1] = 0;
    mask[2] = 0;
    const owner = findingOwnership(
      mask,
      columns,
      map,
      0.2,
      [{ index: 1, bounds: { top: 0, left: 1, bottom: 0, right: 2 }, maxProbability: 200 / 255 }],
      2,
    );
    expect(Array.from(owner)).toEqual(new Array(8).fill(0));
  });
});
