import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../main/api/contract.js';
import {
  pixelsOfRuns,
  pixelsUnion,
  pixelsWithout,
  runsMeet,
  runsOfPixels,
} from '../../renderer/editing/pixelRuns.js';

const columns = 5;
const rows = 4;

describe('pixel runs (an added finding’s painted pixels)', () => {
  it('are row runs of the pixels, split at the end of a row, and read back to the same pixels', () => {
    // Row 0: columns 3-4; row 1: columns 0-1 (index 4 and 5 are neighbours in memory only), 3; row 3: all.
    const pixels = Uint32Array.from([3, 4, 5, 6, 8, 15, 16, 17, 18, 19]);
    const runs = runsOfPixels(pixels, columns);
    expect(runs).toEqual([
      [0, 3, 2],
      [1, 0, 2],
      [1, 3, 1],
      [3, 0, 5],
    ]);
    expect(Array.from(pixelsOfRuns(runs, columns, rows))).toEqual(Array.from(pixels));
    expect(runsOfPixels(new Uint32Array(0), columns)).toEqual([]);
  });

  it('read back only the part inside the image', () => {
    expect(
      Array.from(
        pixelsOfRuns(
          [
            [0, 3, 4],
            [2, 0, 1],
            [9, 0, 2],
          ],
          columns,
          rows,
        ),
      ),
    ).toEqual([3, 4, 10]);
  });

  it('meet, subtract and join ascending pixel lists as sets', () => {
    const runs = runsOfPixels(Uint32Array.from([1, 2, 7]), columns);
    expect(runsMeet(runs, columns, Uint32Array.from([0, 3, 6]))).toBe(false);
    expect(runsMeet(runs, columns, Uint32Array.from([0, 7]))).toBe(true);
    expect(
      Array.from(pixelsWithout(Uint32Array.from([1, 2, 7, 9]), Uint32Array.from([0, 2, 9, 11]))),
    ).toEqual([1, 7]);
    expect(Array.from(pixelsUnion(Uint32Array.from([1, 2, 7]), Uint32Array.from([0, 2, 9])))).toEqual([
      0, 1, 2, 7, 9,
    ]);
  });

  it('pass the API contract as the editor writes them; runs out of order or touching are refused', () => {
    const finding = (painted: [number, number, number][]) => ({
      imageId: 1,
      maskPng: 'iVBORw0KGgo=',
      author: 'Dr Runs',
      findings: {
        decisions: [],
        added: [{ type: 'mass', centroidRow: 1, centroidColumn: 1, painted }],
      },
    });
    const parse = (painted: [number, number, number][]) =>
      API_METHODS.saveAnnotation.input.safeParse(finding(painted)).success;
    expect(parse(runsOfPixels(Uint32Array.from([3, 4, 5, 6, 8, 15]), columns))).toBe(true);
    expect(parse([])).toBe(true);
    expect(
      parse([
        [1, 3, 1],
        [0, 3, 2],
      ]),
    ).toBe(false);
    expect(
      parse([
        [1, 0, 2],
        [1, 2, 1],
      ]),
    ).toBe(false);
    expect(parse([[1, 0, 0]])).toBe(false);
    expect(parse([[1, -1, 2]])).toBe(false);
  });
});
