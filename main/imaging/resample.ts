/** Pixel arrays this module resamples: the 8-bit display image or a float probability map. */
export type Raster = Uint8Array | Float32Array;

/**
 * Bilinear resize with pixel centres aligned (half-pixel convention, like tf.image.resizeBilinear
 * with halfPixelCenters). Returns the same array type as the input; uint8 output is rounded.
 */
export function resizeBilinear<T extends Raster>(
  source: T,
  rows: number,
  columns: number,
  outRows: number,
  outColumns: number,
): T {
  const out = (
    source instanceof Uint8Array
      ? new Uint8Array(outRows * outColumns)
      : new Float32Array(outRows * outColumns)
  ) as T;
  const rowScale = rows / outRows;
  const columnScale = columns / outColumns;
  const x0s = new Int32Array(outColumns);
  const x1s = new Int32Array(outColumns);
  const fxs = new Float32Array(outColumns);
  for (let x = 0; x < outColumns; x++) {
    const sx = Math.min(columns - 1, Math.max(0, (x + 0.5) * columnScale - 0.5));
    x0s[x] = Math.floor(sx);
    x1s[x] = Math.min(columns - 1, x0s[x]! + 1);
    fxs[x] = sx - x0s[x]!;
  }
  const round = source instanceof Uint8Array;
  for (let y = 0; y < outRows; y++) {
    const sy = Math.min(rows - 1, Math.max(0, (y + 0.5) * rowScale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const fy = sy - y0;
    const r0 = y0 * columns;
    const r1 = y1 * columns;
    const o = y * outColumns;
    for (let x = 0; x < outColumns; x++) {
      const x0 = x0s[x]!;
      const x1 = x1s[x]!;
      const fx = fxs[x]!;
      const top = source[r0 + x0]! + (source[r0 + x1]! - source[r0 + x0]!) * fx;
      const bottom = source[r1 + x0]! + (source[r1 + x1]! - source[r1 + x0]!) * fx;
      const v = top + (bottom - top) * fy;
      out[o + x] = round ? Math.round(v) : v;
    }
  }
  return out;
}

/** Copies a rectangle out of a raster. */
export function cropRaster<T extends Raster>(
  source: T,
  columns: number,
  region: { top: number; left: number; rows: number; columns: number },
): T {
  const out = (
    source instanceof Uint8Array
      ? new Uint8Array(region.rows * region.columns)
      : new Float32Array(region.rows * region.columns)
  ) as T;
  for (let r = 0; r < region.rows; r++) {
    const start = (region.top + r) * columns + region.left;
    out.set(source.subarray(start, start + region.columns), r * region.columns);
  }
  return out;
}
