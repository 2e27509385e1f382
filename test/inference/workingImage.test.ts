import { describe, expect, it } from 'vitest';
import { averageDown } from '../../main/inference/workingImage.js';

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
});
