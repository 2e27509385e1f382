/**
 * Grey-level morphology on row-major rasters: the white top-hat, which keeps what is bright and
 * thin (printed strokes, lead letters, calcifications) and drops what is broad (tissue, film
 * strips), whatever the level around it.
 */

/**
 * The white top-hat: each value minus the image's opening by a (2 halfWidth + 1)-pixel square
 * (an erosion, then a dilation, by the square). A bright structure narrower than the square in
 * some direction keeps its height above its surroundings; anything the square fits in is 0.
 */
export function whiteTopHat(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
): Float32Array {
  const opened = dilateSquare(erodeSquare(values, rows, columns, halfWidth), rows, columns, halfWidth);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - opened[i]!;
  return out;
}

/**
 * Grey erosion by a (2 halfWidth + 1)-pixel square: each value is the minimum over the square
 * centred on it, clipped to the raster (pixels outside are not part of any window).
 */
export function erodeSquare(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
): Float32Array {
  return squareExtreme(values, rows, columns, halfWidth, true);
}

/** Grey dilation by a (2 halfWidth + 1)-pixel square: the maximum over the clipped square. */
export function dilateSquare(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
): Float32Array {
  return squareExtreme(values, rows, columns, halfWidth, false);
}

/** The square is separable: the extreme along each row's window, then along each column's. */
function squareExtreme(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
  minimum: boolean,
): Float32Array {
  return extremeAlongColumns(
    extremeAlongRows(values, rows, columns, halfWidth, minimum),
    rows,
    columns,
    halfWidth,
    minimum,
  );
}

/*
 * Van Herk / Gil-Werman running extremes: O(1) comparisons per pixel whatever the window. Each line
 * is padded by halfWidth neutral values (+Infinity for a minimum, -Infinity for a maximum: the
 * clipped window) and cut into blocks of one window's width; a window [k, k + 2 halfWidth] in the
 * padded line spans the end of one block and the start of the next, so its extreme is that of the
 * block's suffix from k and the next block's prefix up to k + 2 halfWidth.
 */

function extremeAlongRows(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
  minimum: boolean,
): Float32Array {
  const out = new Float32Array(values.length);
  const width = 2 * halfWidth + 1;
  const length = columns + 2 * halfWidth;
  const neutral = minimum ? Infinity : -Infinity;
  const line = new Float32Array(length).fill(neutral);
  const prefix = new Float32Array(length);
  const suffix = new Float32Array(length);
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    line.set(values.subarray(start, start + columns), halfWidth);
    for (let block = 0; block < length; block += width) {
      const blockEnd = Math.min(length, block + width) - 1;
      prefix[block] = line[block]!;
      for (let j = block + 1; j <= blockEnd; j++) {
        const v = line[j]!;
        const p = prefix[j - 1]!;
        prefix[j] = minimum ? (v < p ? v : p) : v > p ? v : p;
      }
      suffix[blockEnd] = line[blockEnd]!;
      for (let j = blockEnd - 1; j >= block; j--) {
        const v = line[j]!;
        const s = suffix[j + 1]!;
        suffix[j] = minimum ? (v < s ? v : s) : v > s ? v : s;
      }
    }
    for (let k = 0; k < columns; k++) {
      const a = suffix[k]!;
      const b = prefix[k + 2 * halfWidth]!;
      out[start + k] = minimum ? (a < b ? a : b) : a > b ? a : b;
    }
  }
  return out;
}

/** The same along columns, all columns at once, so that every pass reads whole rows. */
function extremeAlongColumns(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
  minimum: boolean,
): Float32Array {
  const out = new Float32Array(values.length);
  const width = 2 * halfWidth + 1;
  const length = rows + 2 * halfWidth;
  const neutral = minimum ? Infinity : -Infinity;
  const padded = new Float32Array(length * columns).fill(neutral);
  padded.set(values, halfWidth * columns);
  const prefix = new Float32Array(padded.length);
  const suffix = new Float32Array(padded.length);
  for (let j = 0; j < length; j++) {
    const row = j * columns;
    if (j % width === 0) prefix.set(padded.subarray(row, row + columns), row);
    else {
      for (let c = row; c < row + columns; c++) {
        const v = padded[c]!;
        const p = prefix[c - columns]!;
        prefix[c] = minimum ? (v < p ? v : p) : v > p ? v : p;
      }
    }
  }
  for (let j = length - 1; j >= 0; j--) {
    const row = j * columns;
    if (j === length - 1 || (j + 1) % width === 0) suffix.set(padded.subarray(row, row + columns), row);
    else {
      for (let c = row; c < row + columns; c++) {
        const v = padded[c]!;
        const s = suffix[c + columns]!;
        suffix[c] = minimum ? (v < s ? v : s) : v > s ? v : s;
      }
    }
  }
  const reach = 2 * halfWidth * columns;
  for (let i = 0; i < out.length; i++) {
    const a = suffix[i]!;
    const b = prefix[i + reach]!;
    out[i] = minimum ? (a < b ? a : b) : a > b ? a : b;
  }
  return out;
}
