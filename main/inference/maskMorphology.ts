/**
 * Binary-mask operations on row-major 0/1 rasters: exact Euclidean distances (for erosion and
 * dilation by a disc), connected components and hole filling. Pure and allocation-light, so the
 * breast finder can run them on a whole film.
 */

/**
 * Squared Euclidean distance from every pixel to the nearest pixel where `sources` is `sourceValue`
 * (Felzenszwalb and Huttenlocher's separable transform, exact). Pixels outside the raster are not
 * sources; with no source at all every distance is Infinity.
 */
export function squaredDistanceTo(
  sources: Uint8Array,
  sourceValue: 0 | 1,
  rows: number,
  columns: number,
): Float32Array {
  const out = new Float32Array(rows * columns);
  // Along each column, the nearest source above and below (what the lower envelope of sources at
  // 0 and Infinity elsewhere gives), all columns at once so that every pass reads whole rows.
  const nearest = new Int32Array(columns).fill(-1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0, i = r * columns; c < columns; c++, i++) {
      if (sources[i] === sourceValue) {
        nearest[c] = r;
        out[i] = 0;
      } else out[i] = nearest[c]! < 0 ? Infinity : (r - nearest[c]!) * (r - nearest[c]!);
    }
  }
  nearest.fill(-1);
  for (let r = rows - 1; r >= 0; r--) {
    for (let c = 0, i = r * columns; c < columns; c++, i++) {
      if (sources[i] === sourceValue) nearest[c] = r;
      else if (nearest[c]! >= 0 && (nearest[c]! - r) * (nearest[c]! - r) < out[i]!)
        out[i] = (nearest[c]! - r) * (nearest[c]! - r);
    }
  }
  const d = new Float64Array(columns);
  const v = new Int32Array(columns);
  const z = new Float64Array(columns + 1);
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * columns, (r + 1) * columns);
    lowerEnvelope(row, columns, d, v, z);
    row.set(d);
  }
  return out;
}

/** One dimension of the distance transform: d[q] = min over p of (q - p)^2 + f[p]. */
function lowerEnvelope(
  f: Float32Array,
  length: number,
  d: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  let k = -1;
  for (let q = 0; q < length; q++) {
    if (f[q] === Infinity) continue;
    let s = -Infinity;
    while (k >= 0) {
      const p = v[k]!;
      s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
      if (s > z[k]!) break;
      k--;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? -Infinity : s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    d.fill(Infinity, 0, length);
    return;
  }
  let j = 0;
  for (let q = 0; q < length; q++) {
    while (z[j + 1]! < q) j++;
    const p = v[j]!;
    d[q] = (q - p) * (q - p) + f[p]!;
  }
}

/** A mask's 4-connected components: a label per pixel (0 outside) and each label's pixel count. */
export interface Components {
  labels: Int32Array;
  /** sizes[label - 1] pixels carry label. */
  sizes: number[];
}

/** Labels are numbered in the raster order of each piece's first pixel. */
export function connectedComponents(mask: Uint8Array, columns: number): Components {
  const { start, end, root, count } = runPieces(mask, columns, true);
  const labels = new Int32Array(mask.length);
  const labelOf = new Int32Array(count);
  const sizes: number[] = [];
  for (let run = 0; run < count; run++) {
    if (root[run] === run) {
      sizes.push(0);
      labelOf[run] = sizes.length;
    }
    const label = labelOf[root[run]!]!;
    labels.fill(label, start[run]!, end[run]! + 1);
    sizes[label - 1]! += end[run]! - start[run]! + 1;
  }
  return { labels, sizes };
}

/**
 * Keeps, in place, only the mask's largest 4-connected piece (the first in raster order of those
 * as large); false when the mask is empty.
 */
export function keepLargestPiece(mask: Uint8Array, columns: number): boolean {
  const { start, end, root, count } = runPieces(mask, columns, true);
  const sizes = new Float64Array(count);
  let pieces = 0;
  for (let run = 0; run < count; run++) {
    if (root[run] === run) pieces++;
    sizes[root[run]!]! += end[run]! - start[run]! + 1;
  }
  if (pieces <= 1) return pieces === 1;
  let largest = 0;
  for (let run = 1; run < count; run++) if (sizes[run]! > sizes[largest]!) largest = run;
  mask.fill(0);
  for (let run = 0; run < count; run++) if (root[run] === largest) mask.fill(1, start[run]!, end[run]! + 1);
  return true;
}

/**
 * The mask's runs of set (or of empty) pixels, row by row (start and end inclusive, as pixel
 * indices), joined into 4-connected pieces: root[run] is the first run of its piece in raster
 * order. Each run is joined (union-find, the earlier root kept) to the runs of the row above that
 * share a column with it.
 */
function runPieces(
  mask: Uint8Array,
  columns: number,
  set: boolean,
): { start: Int32Array; end: Int32Array; root: Int32Array; count: number } {
  const length = mask.length;
  // Grown as runs are found (most masks here have a few runs per row).
  let start = new Int32Array(Math.max(16, 2 * Math.ceil(length / columns)));
  let end = new Int32Array(start.length);
  let root = new Int32Array(start.length);
  const find = (run: number) => {
    while (root[run] !== run) {
      root[run] = root[root[run]!]!;
      run = root[run]!;
    }
    return run;
  };
  let run = 0;
  let above = 0;
  let aboveEnd = 0;
  for (let from = 0; from < length; from += columns) {
    const to = Math.min(length, from + columns);
    const rowRuns = run;
    for (let i = from; i < to; i++) {
      if ((mask[i] !== 0) !== set) continue;
      if (run === start.length) {
        start = grow(start);
        end = grow(end);
        root = grow(root);
      }
      start[run] = i;
      while (i + 1 < to && (mask[i + 1] !== 0) === set) i++;
      end[run] = i;
      root[run] = run;
      // The runs above that share a column with this one.
      const first = start[run]! - columns;
      const last = i - columns;
      while (above < aboveEnd && end[above]! < first) above++;
      for (let a = above; a < aboveEnd && start[a]! <= last; a++) {
        const x = find(a);
        const y = find(run);
        if (x < y) root[y] = x;
        else if (y < x) root[x] = y;
      }
      run++;
    }
    above = rowRuns;
    aboveEnd = run;
  }
  // Parents come before their runs: one pass in order leaves every run pointing at its root.
  for (let r = 0; r < run; r++) root[r] = root[root[r]!]!;
  return { start, end, root, count: run };
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(2 * array.length);
  larger.set(array);
  return larger;
}

/** Sets, in place, every empty pixel that the raster's border cannot reach through empty pixels. */
export function fillHoles(mask: Uint8Array, rows: number, columns: number): Uint8Array {
  const { start, end, root, count } = runPieces(mask, columns, false);
  const lastRow = (rows - 1) * columns;
  const outside = new Uint8Array(count);
  for (let run = 0; run < count; run++) {
    const s = start[run]!;
    const e = end[run]!;
    if (s < columns || s >= lastRow || s % columns === 0 || e % columns === columns - 1)
      outside[root[run]!] = 1;
  }
  for (let run = 0; run < count; run++) if (!outside[root[run]!]) mask.fill(1, start[run]!, end[run]! + 1);
  return mask;
}
