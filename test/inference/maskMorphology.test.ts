import { describe, expect, it } from 'vitest';
import {
  connectedComponents,
  fillHoles,
  keepLargestPiece,
  squaredDistanceTo,
} from '../../main/inference/maskMorphology.js';

/** A random 0/1 raster with about `density` ones, the same on every run. */
function randomMask(rows: number, columns: number, density: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: rows * columns }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 < density ? 1 : 0;
  });
}

/** The 4-neighbours of pixel i inside the raster. */
function neighbours(i: number, rows: number, columns: number): number[] {
  const r = Math.floor(i / columns);
  const c = i % columns;
  const around: number[] = [];
  if (r > 0) around.push(i - columns);
  if (r < rows - 1) around.push(i + columns);
  if (c > 0) around.push(i - 1);
  if (c < columns - 1) around.push(i + 1);
  return around;
}

/** Connected components by the definition: a flood fill from each unlabelled set pixel, in raster order. */
function componentsByFloodFill(mask: Uint8Array, rows: number, columns: number) {
  const labels = new Int32Array(mask.length);
  const sizes: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = sizes.length + 1;
    const queue = [start];
    labels[start] = label;
    for (let q = 0; q < queue.length; q++) {
      for (const j of neighbours(queue[q]!, rows, columns)) {
        if (!mask[j] || labels[j]) continue;
        labels[j] = label;
        queue.push(j);
      }
    }
    sizes.push(queue.length);
  }
  return { labels, sizes };
}

/** Holes by the definition: empty pixels that no flood fill of empty pixels from the border reaches. */
function holesFilledByFloodFill(mask: Uint8Array, rows: number, columns: number): Uint8Array {
  const reached = new Uint8Array(mask.length);
  const queue: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    const r = Math.floor(i / columns);
    const c = i % columns;
    const onBorder = r === 0 || c === 0 || r === rows - 1 || c === columns - 1;
    if (onBorder && !mask[i]) {
      reached[i] = 1;
      queue.push(i);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    for (const j of neighbours(queue[q]!, rows, columns)) {
      if (mask[j] || reached[j]) continue;
      reached[j] = 1;
      queue.push(j);
    }
  }
  return mask.map((m, i) => (m || !reached[i] ? 1 : 0));
}

describe('mask morphology', () => {
  it('gives the exact squared Euclidean distance to the nearest source (brute force), at every shape and border', () => {
    const shapes: [number, number][] = [
      [23, 31],
      [1, 1],
      [1, 40],
      [37, 1],
      [2, 2],
      [50, 9],
      [8, 64],
    ];
    let seed = 7;
    for (const [rows, columns] of shapes) {
      for (const density of [0.002, 0.02, 0.3, 0.9]) {
        const mask = randomMask(rows, columns, density, seed++);
        for (const sourceValue of [1, 0] as const) {
          const distance = squaredDistanceTo(mask, sourceValue, rows, columns);
          const expected = new Float32Array(mask.length);
          for (let i = 0; i < mask.length; i++) {
            let best = Infinity;
            for (let j = 0; j < mask.length; j++) {
              if (mask[j] !== sourceValue) continue;
              const dr = Math.floor(i / columns) - Math.floor(j / columns);
              const dc = (i % columns) - (j % columns);
              best = Math.min(best, dr * dr + dc * dc);
            }
            expected[i] = best;
          }
          expect(distance, `${rows}x${columns} density ${density} to ${sourceValue}`).toEqual(expected);
        }
      }
    }
    expect(squaredDistanceTo(new Uint8Array(6), 1, 2, 3).every((d) => d === Infinity)).toBe(true);
  });

  it('labels 4-connected pieces in the raster order of their first pixel and fills holes as flood fills from the definition do', () => {
    let seed = 3;
    for (const [rows, columns] of [
      [1, 1],
      [1, 50],
      [50, 1],
      [3, 4],
      [31, 29],
      [64, 70],
    ] as const) {
      for (const density of [0.05, 0.45, 0.6, 0.95]) {
        const mask = randomMask(rows, columns, density, seed++);
        const label = `${rows}x${columns} density ${density}`;
        const expected = componentsByFloodFill(mask, rows, columns);
        const { labels, sizes } = connectedComponents(mask, columns);
        expect(labels, label).toEqual(expected.labels);
        expect(sizes, label).toEqual(expected.sizes);
        expect(fillHoles(mask.slice(), rows, columns), label).toEqual(
          holesFilledByFloodFill(mask, rows, columns),
        );
        // The largest piece, the first in raster order among the largest.
        const largest = expected.sizes.indexOf(Math.max(...expected.sizes)) + 1;
        const kept = mask.slice();
        expect(keepLargestPiece(kept, columns), label).toBe(expected.sizes.length > 0);
        expect(kept, label).toEqual(
          mask.map((_, i) => (largest > 0 && expected.labels[i] === largest ? 1 : 0)),
        );
      }
    }
  });

  it('keeps the first of equally large pieces, and an empty mask has none', () => {
    const picture = ['##..', '...#', '...#', '##..'];
    const mask = Uint8Array.from(picture.join(''), (ch) => (ch === '#' ? 1 : 0));
    expect(keepLargestPiece(mask, 4)).toBe(true);
    expect([...mask]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(keepLargestPiece(new Uint8Array(6), 3)).toBe(false);
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
