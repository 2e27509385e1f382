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
  return meanOfThree(meanOfThree(values, rows, columns, 'rows'), rows, columns, 'columns');
}

/**
 * Mean of each pixel and its neighbours before and after it along its row or its column, over the
 * neighbours that exist. Pixels are visited in raster order either way (columns all at once).
 */
function meanOfThree(
  values: Float32Array,
  rows: number,
  columns: number,
  along: 'rows' | 'columns',
): Float32Array {
  const out = new Float32Array(values.length);
  const [step, length] = along === 'rows' ? [1, columns] : [columns, rows];
  for (let r = 0; r < rows; r++) {
    for (let c = 0, i = r * columns; c < columns; c++, i++) {
      const position = along === 'rows' ? c : r;
      const v = values[i]!;
      if (position > 0 && position < length - 1) out[i] = (v + values[i - step]! + values[i + step]!) / 3;
      else if (position > 0) out[i] = (v + values[i - step]!) / 2;
      else if (position < length - 1) out[i] = (v + values[i + step]!) / 2;
      else out[i] = v;
    }
  }
  return out;
}
