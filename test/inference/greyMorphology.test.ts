import { describe, expect, it } from 'vitest';
import { dilateSquare, erodeSquare, whiteTopHat } from '../../main/inference/greyMorphology.js';

/** A seeded generator of uniform numbers in [0, 1), the same on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The definition: the minimum (or maximum) over the square of side 2 halfWidth + 1, clipped to the raster. */
function squareExtremeByDefinition(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
  minimum: boolean,
): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      let best = minimum ? Infinity : -Infinity;
      for (let rr = r - halfWidth; rr <= r + halfWidth; rr++) {
        for (let cc = c - halfWidth; cc <= c + halfWidth; cc++) {
          if (rr < 0 || cc < 0 || rr >= rows || cc >= columns) continue;
          const v = values[rr * columns + cc]!;
          best = minimum ? Math.min(best, v) : Math.max(best, v);
        }
      }
      out[r * columns + c] = best;
    }
  }
  return out;
}

describe('grey morphology', () => {
  it('erodes, dilates and takes the white top-hat exactly as the clipped square defines them, at every size and border', () => {
    const random = generator(11);
    const shapes: [number, number][] = [
      [1, 1],
      [1, 17],
      [23, 1],
      [2, 3],
      [7, 7],
      [19, 31],
      [40, 26],
    ];
    for (let trial = 0; trial < 12; trial++) {
      const rows = 1 + Math.floor(random() * 45);
      const columns = 1 + Math.floor(random() * 45);
      shapes.push([rows, columns]);
    }
    let checked = 0;
    for (const [rows, columns] of shapes) {
      // Display levels (many ties) and arbitrary floats.
      for (const levels of [true, false]) {
        const values = Float32Array.from({ length: rows * columns }, () =>
          levels ? Math.floor(random() * 6) * 40 : random() * 255,
        );
        for (const halfWidth of [1, 2, 3, 5, 8, 13, 30, 60]) {
          const eroded = squareExtremeByDefinition(values, rows, columns, halfWidth, true);
          const opened = squareExtremeByDefinition(eroded, rows, columns, halfWidth, false);
          const topHat = values.map((v, i) => v - opened[i]!);
          const label = `${rows}x${columns} halfWidth ${halfWidth}`;
          expect(erodeSquare(values, rows, columns, halfWidth), label).toEqual(eroded);
          expect(dilateSquare(values, rows, columns, halfWidth), label).toEqual(
            squareExtremeByDefinition(values, rows, columns, halfWidth, false),
          );
          expect(whiteTopHat(values, rows, columns, halfWidth), label).toEqual(topHat);
          checked++;
        }
      }
    }
    expect(checked).toBe(shapes.length * 2 * 8);
  });

  it('keeps a thin bright stroke at its full height above a sloping background and flattens a broad plateau', () => {
    const rows = 30;
    const columns = 40;
    const values = new Float32Array(rows * columns);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const slope = r;
        const stroke = c === 10 ? 100 : 0;
        const plateau = r >= 5 && r < 25 && c >= 20 && c < 35 ? 60 : 0;
        values[r * columns + c] = slope + stroke + plateau;
      }
    }
    const topHat = whiteTopHat(values, rows, columns, 3);
    // The stroke, one pixel wide and running down the slope, stands its full 100 above it.
    expect(topHat[15 * columns + 10]).toBe(100);
    // The plateau is wider than the 7-pixel square: its middle is opened away entirely.
    expect(topHat[15 * columns + 27]).toBe(0);
  });
});
