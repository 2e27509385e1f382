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
  const f = new Float64Array(columns);
  const d = new Float64Array(columns);
  const v = new Int32Array(columns);
  const z = new Float64Array(columns + 1);
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    for (let k = 0; k < columns; k++) f[k] = out[start + k]!;
    lowerEnvelope(f, columns, d, v, z);
    for (let k = 0; k < columns; k++) out[start + k] = d[k]!;
  }
  return out;
}

/** One dimension of the distance transform: d[q] = min over p of (q - p)^2 + f[p]. */
function lowerEnvelope(
  f: Float64Array,
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

/**
 * Labels are numbered in the raster order of each piece's first pixel. Found run by run: each row's
 * runs of set pixels are joined (union-find, the earliest run as root) to the runs they touch in
 * the row above.
 */
export function connectedComponents(mask: Uint8Array, columns: number): Components {
  const length = mask.length;
  let runs = 0;
  for (let start = 0; start < length; start += columns) {
    if (mask[start]) runs++;
    for (let i = start + 1; i < Math.min(length, start + columns); i++) if (mask[i] && !mask[i - 1]) runs++;
  }
  const runStart = new Int32Array(runs);
  const runEnd = new Int32Array(runs);
  const root = new Int32Array(runs);
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
  for (let start = 0; start < length; start += columns) {
    const end = Math.min(length, start + columns);
    const rowRuns = run;
    for (let i = start; i < end; i++) {
      if (!mask[i]) continue;
      runStart[run] = i;
      while (i + 1 < end && mask[i + 1]) i++;
      runEnd[run] = i;
      root[run] = run;
      // The runs above that share a column with this one (4-connected: overlapping columns).
      const from = runStart[run]! - columns;
      const to = i - columns;
      while (above < aboveEnd && runEnd[above]! < from) above++;
      for (let a = above; a < aboveEnd && runStart[a]! <= to; a++) {
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
  const labels = new Int32Array(length);
  const labelOf = new Int32Array(runs);
  const sizes: number[] = [];
  for (let r = 0; r < runs; r++) {
    const first = find(r);
    if (first === r) {
      sizes.push(0);
      labelOf[r] = sizes.length;
    }
    const label = labelOf[first]!;
    labels.fill(label, runStart[r]!, runEnd[r]! + 1);
    sizes[label - 1]! += runEnd[r]! - runStart[r]! + 1;
  }
  return { labels, sizes };
}

/** Sets, in place, every empty pixel that the raster's border cannot reach through empty pixels. */
export function fillHoles(mask: Uint8Array, rows: number, columns: number): Uint8Array {
  const empty = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) empty[i] = mask[i] ? 0 : 1;
  const { labels, sizes } = connectedComponents(empty, columns);
  const outside = new Uint8Array(sizes.length + 1);
  for (let c = 0; c < columns; c++) outside[labels[c]!] = outside[labels[(rows - 1) * columns + c]!] = 1;
  for (let r = 0; r < rows; r++)
    outside[labels[r * columns]!] = outside[labels[r * columns + columns - 1]!] = 1;
  for (let i = 0; i < mask.length; i++) if (empty[i] && !outside[labels[i]!]) mask[i] = 1;
  return mask;
}
