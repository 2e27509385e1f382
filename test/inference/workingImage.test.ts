import { describe, expect, it } from 'vitest';
import { averageDown, boxSmooth } from '../../main/inference/workingImage.js';

describe('working image', () => {
  it('averages each factor x factor block over the pixels it holds, edge blocks cut by the image included', () => {
    let state = 5;
    for (const [rows, columns, factor] of [
      [1, 1, 1],
      [7, 5, 1],
      [10, 10, 5],
      [13, 11, 5],
      [4, 9, 3],
      [3, 2, 4],
      [37, 23, 6],
    ] as const) {
      const display = Uint8Array.from({ length: rows * columns }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return Math.floor((state / 2147483648) * 256);
      });
      const outRows = Math.ceil(rows / factor);
      const outColumns = Math.ceil(columns / factor);
      const expected = new Float32Array(outRows * outColumns);
      for (let br = 0; br < outRows; br++) {
        for (let bc = 0; bc < outColumns; bc++) {
          let sum = 0;
          let n = 0;
          for (let r = br * factor; r < Math.min(rows, (br + 1) * factor); r++) {
            for (let c = bc * factor; c < Math.min(columns, (bc + 1) * factor); c++) {
              sum += display[r * columns + c]!;
              n++;
            }
          }
          expected[br * outColumns + bc] = sum / n;
        }
      }
      const working = averageDown(display, rows, columns, factor);
      expect([working.rows, working.columns]).toEqual([outRows, outColumns]);
      expect(working.values, `${rows}x${columns} by ${factor}`).toEqual(expected);
    }
  });

  it('smooths 3x3 over the pixels that exist: the mean across each row, then down each column (float32 between)', () => {
    let state = 9;
    for (const [rows, columns] of [
      [1, 1],
      [1, 6],
      [5, 1],
      [2, 2],
      [9, 14],
      [31, 17],
    ] as const) {
      const values = Float32Array.from({ length: rows * columns }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return (state / 2147483648) * 255;
      });
      // The mean of a pixel and its neighbours before and after it that exist, in that order.
      const at = (v: Float32Array, r: number, c: number) =>
        r < 0 || c < 0 || r >= rows || c >= columns ? null : v[r * columns + c]!;
      const mean = (here: number, before: number | null, after: number | null) =>
        (here + (before ?? 0) + (after ?? 0)) / (1 + (before === null ? 0 : 1) + (after === null ? 0 : 1));
      const across = new Float32Array(values.length);
      const expected = new Float32Array(values.length);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < columns; c++)
          across[r * columns + c] = mean(
            values[r * columns + c]!,
            at(values, r, c - 1),
            at(values, r, c + 1),
          );
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < columns; c++)
          expected[r * columns + c] = mean(
            across[r * columns + c]!,
            at(across, r - 1, c),
            at(across, r + 1, c),
          );
      expect(boxSmooth(values, rows, columns), `${rows}x${columns}`).toEqual(expected);
    }
  });
});
