import { describe, expect, it } from 'vitest';
import { connectedComponents, fillHoles, squaredDistanceTo } from '../../main/inference/maskMorphology.js';

/** A random 0/1 raster with about `density` ones, the same on every run. */
function randomMask(rows: number, columns: number, density: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: rows * columns }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 < density ? 1 : 0;
  });
}

describe('mask morphology', () => {
  it('gives the exact squared Euclidean distance to the nearest source (brute force)', () => {
    const rows = 23;
    const columns = 31;
    for (const density of [0.02, 0.3]) {
      const mask = randomMask(rows, columns, density, 7);
      const distance = squaredDistanceTo(mask, 1, rows, columns);
      for (let i = 0; i < mask.length; i++) {
        let best = Infinity;
        for (let j = 0; j < mask.length; j++) {
          if (!mask[j]) continue;
          const dr = Math.floor(i / columns) - Math.floor(j / columns);
          const dc = (i % columns) - (j % columns);
          best = Math.min(best, dr * dr + dc * dc);
        }
        expect(distance[i]).toBe(best);
      }
    }
    expect(squaredDistanceTo(new Uint8Array(6), 1, 2, 3).every((d) => d === Infinity)).toBe(true);
  });

  it('labels 4-connected pieces and fills only the holes the border cannot reach', () => {
    // Two pieces: a ring (with a hole) and a diagonal neighbour that is not 4-connected to it.
    const picture = ['#####.', '#...#.', '#####.', '.....#'];
    const columns = picture[0]!.length;
    const mask = Uint8Array.from(picture.join(''), (ch) => (ch === '#' ? 1 : 0));
    const { labels, sizes } = connectedComponents(mask, columns);
    expect(sizes).toEqual([12, 1]);
    expect(labels[3 * columns + 5]).toBe(2);
    const filled = fillHoles(mask.slice(), picture.length, columns);
    expect([...filled.subarray(columns, 2 * columns)]).toEqual([1, 1, 1, 1, 1, 0]);
    expect(filled[3 * columns]).toBe(0);
  });
});
