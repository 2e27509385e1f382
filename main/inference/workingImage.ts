/**
 * The reduced copy of an image that the breast finder searches: averaged down to a working size
 * and smoothed, so film grain and JPEG blocks do not break the breast's outline.
 */
/** The image averaged over factor x factor blocks (edge blocks over the pixels they hold). */
export function averageDown(
  display: ArrayLike<number>,
  rows: number,
  columns: number,
  factor: number,
): { values: Float32Array; rows: number; columns: number } {
  const outRows = Math.ceil(rows / factor);
  const outColumns = Math.ceil(columns / factor);
  const sums = new Float32Array(outRows * outColumns);
  for (let r = 0; r < rows; r++) {
    const o = ((r / factor) | 0) * outColumns;
    const row = r * columns;
    for (let cell = 0; cell < outColumns; cell++) {
      // Added pixel by pixel in float32, as the sums are kept.
      let sum = sums[o + cell]!;
      const to = Math.min(columns, (cell + 1) * factor);
      for (let c = cell * factor; c < to; c++) sum = Math.fround(sum + display[row + c]!);
      sums[o + cell] = sum;
    }
  }
  // A block's pixel count: factor x factor, less where the image's last row or column cuts it.
  const blockSide = (cell: number, size: number) => Math.min(size, (cell + 1) * factor) - cell * factor;
  for (let cr = 0; cr < outRows; cr++) {
    for (let cc = 0; cc < outColumns; cc++) {
      const i = cr * outColumns + cc;
      sums[i] = sums[i]! / (blockSide(cr, rows) * blockSide(cc, columns));
    }
  }
  return { values: sums, rows: outRows, columns: outColumns };
}

/** 3x3 mean (edges over the pixels that exist). */
export function boxSmooth(values: Float32Array, rows: number, columns: number): Float32Array {
  return meanOfThree(meanOfThree(values, rows, columns, 1, columns), rows, columns, columns, rows);
}

/** Mean of each pixel and its neighbours `step` before and after it, along lines of `length`. */
function meanOfThree(
  values: Float32Array,
  rows: number,
  columns: number,
  step: number,
  length: number,
): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < rows * columns; i++) {
    const position = step === 1 ? i % columns : (i / columns) | 0;
    const before = position > 0 ? values[i - step]! : null;
    const after = position < length - 1 ? values[i + step]! : null;
    const sum = values[i]! + (before ?? 0) + (after ?? 0);
    out[i] = sum / (1 + (before === null ? 0 : 1) + (after === null ? 0 : 1));
  }
  return out;
}
