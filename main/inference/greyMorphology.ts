/**
 * Grey-level morphology on row-major rasters: the white top-hat, which keeps what is bright and
 * thin (printed strokes, lead letters, calcifications) and drops what is broad (tissue, film
 * strips), whatever the level around it.
 */

/**
 * The white top-hat: each value minus the image's opening by a (2 halfWidth + 1)-pixel square
 * (a running minimum, then a running maximum, each separable). A bright structure narrower than
 * the square in some direction keeps its height above its surroundings; anything the square fits
 * in is 0.
 */
export function whiteTopHat(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
): Float32Array {
  const eroded = runningExtreme(
    runningExtreme(values, rows, columns, halfWidth, 'min', 'rows'),
    rows,
    columns,
    halfWidth,
    'min',
    'columns',
  );
  const opened = runningExtreme(
    runningExtreme(eroded, rows, columns, halfWidth, 'max', 'rows'),
    rows,
    columns,
    halfWidth,
    'max',
    'columns',
  );
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - opened[i]!;
  return out;
}

/** The minimum or maximum over a window of 2 halfWidth + 1 pixels along each row or each column. */
function runningExtreme(
  values: Float32Array,
  rows: number,
  columns: number,
  halfWidth: number,
  kind: 'min' | 'max',
  along: 'rows' | 'columns',
): Float32Array {
  const out = new Float32Array(values.length);
  const [lines, length, step, lineStep] =
    along === 'rows' ? [rows, columns, 1, columns] : [columns, rows, columns, 1];
  const sign = kind === 'min' ? 1 : -1;
  for (let line = 0; line < lines; line++) {
    const start = line * lineStep;
    for (let k = 0; k < length; k++) {
      let best = sign * values[start + k * step]!;
      const to = Math.min(length - 1, k + halfWidth);
      for (let j = Math.max(0, k - halfWidth); j <= to; j++) {
        const v = sign * values[start + j * step]!;
        if (v < best) best = v;
      }
      out[start + k * step] = sign * best;
    }
  }
  return out;
}
