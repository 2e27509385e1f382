/**
 * Sets of mask pixels kept as row runs, the form an added finding stores the pixels its add painted
 * in (see AddedFinding.painted): compact for the blobs a reader outlines, plain JSON, exact. Pure
 * code, unit-tested in Node.
 */
import type { PixelRun } from '../../main/api/annotations.js';

/**
 * The runs of ascending, distinct pixel indices (row-major, `columns` wide): one run per stretch
 * of neighbouring pixels in a row.
 */
export function runsOfPixels(pixels: ArrayLike<number>, columns: number): PixelRun[] {
  const runs: PixelRun[] = [];
  for (let k = 0; k < pixels.length;) {
    const first = pixels[k]!;
    const row = Math.floor(first / columns);
    const rowEnd = (row + 1) * columns;
    let length = 1;
    while (k + length < pixels.length && pixels[k + length] === first + length && first + length < rowEnd)
      length++;
    runs.push([row, first - row * columns, length]);
    k += length;
  }
  return runs;
}

/** The pixel indices of runs, ascending; parts outside a `columns` x `rows` image are left out. */
export function pixelsOfRuns(runs: readonly PixelRun[], columns: number, rows: number): Uint32Array {
  let count = 0;
  for (const [row, column, length] of runs)
    if (row >= 0 && row < rows)
      count += Math.max(0, Math.min(columns, column + length) - Math.max(0, column));
  const pixels = new Uint32Array(count);
  let k = 0;
  for (const [row, column, length] of runs) {
    if (row < 0 || row >= rows) continue;
    for (let c = Math.max(0, column); c < Math.min(columns, column + length); c++)
      pixels[k++] = row * columns + c;
  }
  return pixels;
}

/** Whether any pixel of the runs is in `pixels` (ascending): a binary search per run. */
export function runsMeet(runs: readonly PixelRun[], columns: number, pixels: Uint32Array): boolean {
  for (const [row, column, length] of runs) {
    const first = row * columns + column;
    let low = 0;
    let high = pixels.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (pixels[middle]! < first) low = middle + 1;
      else high = middle;
    }
    if (low < pixels.length && pixels[low]! < first + length) return true;
  }
  return false;
}

/** The pixels of `a` that are not in `b`, both ascending: one merge. */
export function pixelsWithout(a: Uint32Array, b: Uint32Array): Uint32Array {
  const kept = new Uint32Array(a.length);
  let n = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    while (j < b.length && b[j]! < a[i]!) j++;
    if (j >= b.length || b[j] !== a[i]) kept[n++] = a[i]!;
  }
  return kept.slice(0, n);
}

/** The pixels in `a` or `b`, both ascending, each once: one merge. */
export function pixelsUnion(a: Uint32Array, b: Uint32Array): Uint32Array {
  const union = new Uint32Array(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    if (i < a.length && a[i] === next) i++;
    if (j < b.length && b[j] === next) j++;
    union[n++] = next;
  }
  return union.slice(0, n);
}
