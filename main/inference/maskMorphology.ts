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
  for (let i = 0; i < out.length; i++) out[i] = sources[i] === sourceValue ? 0 : Infinity;
  const longest = Math.max(rows, columns);
  const f = new Float64Array(longest);
  const d = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  const pass = (length: number, stride: number, start: number) => {
    for (let k = 0; k < length; k++) f[k] = out[start + k * stride]!;
    lowerEnvelope(f, length, d, v, z);
    for (let k = 0; k < length; k++) out[start + k * stride] = d[k]!;
  };
  for (let c = 0; c < columns; c++) pass(rows, columns, c);
  for (let r = 0; r < rows; r++) pass(columns, 1, r * columns);
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

export function connectedComponents(mask: Uint8Array, columns: number): Components {
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  const sizes: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = sizes.length + 1;
    let size = 0;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = label;
    while (sp) {
      const i = stack[--sp]!;
      size++;
      const c = i % columns;
      for (let k = 0; k < 4; k++) {
        const j =
          k === 0
            ? c > 0
              ? i - 1
              : -1
            : k === 1
              ? c < columns - 1
                ? i + 1
                : -1
              : k === 2
                ? i - columns
                : i + columns;
        if (j < 0 || j >= mask.length || !mask[j] || labels[j]) continue;
        labels[j] = label;
        stack[sp++] = j;
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** Sets, in place, every empty pixel that the raster's border cannot reach through empty pixels. */
export function fillHoles(mask: Uint8Array, rows: number, columns: number): Uint8Array {
  const empty = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) empty[i] = mask[i] ? 0 : 1;
  const { labels } = connectedComponents(empty, columns);
  const outside = new Set<number>();
  for (let c = 0; c < columns; c++) outside.add(labels[c]!).add(labels[(rows - 1) * columns + c]!);
  for (let r = 0; r < rows; r++) outside.add(labels[r * columns]!).add(labels[r * columns + columns - 1]!);
  for (let i = 0; i < mask.length; i++) if (empty[i] && !outside.has(labels[i]!)) mask[i] = 1;
  return mask;
}
