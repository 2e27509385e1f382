import { backgroundCeiling, skinThreshold } from './breastThreshold.js';
import { blockPaperLabels, blockPrintedText, chestWallSide, filmBorder, flatWhite } from './filmArtifacts.js';
import { connectedComponents, fillHoles, keepLargestPiece, squaredDistanceTo } from './maskMorphology.js';
import { averageDown, boxSmooth } from './workingImage.js';

/** Bounding box of the breast in an image, in pixels (top/left inclusive, rows/columns sizes). */
export interface Region {
  top: number;
  left: number;
  rows: number;
  columns: number;
}

/** The breast at the image's own resolution: 1 per pixel inside the breast, row-major. */
export interface BreastMask {
  rows: number;
  columns: number;
  pixels: Uint8Array;
}

/** Whether pixel (row, column) lies in the breast mask. */
export function insideBreast(mask: BreastMask, row: number, column: number): boolean {
  return mask.pixels[row * mask.columns + column] === 1;
}

export interface BreastOptions {
  /** The region is the mask's bounding box grown by this fraction of the image's longer side. */
  marginFraction: number;
  /** The search runs on the image averaged down to about this many pixels on its longer side. */
  workingSide: number;
  /**
   * Radius of the opening that cuts labels, markers and film borders off the breast, as a
   * fraction of the working image's shorter side: bright shapes narrower than twice this (text,
   * lead letters, edge strips) and bridges that narrow do not survive it.
   */
  openingFraction: number;
  /** Where the skin line is drawn between the background's level (0) and the tissue's median (1). */
  skinLevel: number;
}

export const BREAST_DEFAULTS: Readonly<BreastOptions> = Object.freeze({
  marginFraction: 0.02,
  workingSide: 1024,
  openingFraction: 0.012,
  skinLevel: 0.1,
});

export interface Breast {
  region: Region;
  mask: BreastMask;
  /** Display level that separates the breast from this image's background (on the smoothed image). */
  threshold: number;
}

/**
 * Finds the breast in an 8-bit display image (background dark), film or digital, at the image's
 * own resolution. Nothing outside the mask is ever a finding or a training pixel, so what a film
 * carries besides the breast must fall outside it.
 *
 * 1. The image is averaged down to a working size (about 1024 on its longer side) and smoothed
 *    3x3 (film grain, JPEG blocks).
 * 2. A core threshold from the image's own histogram: Otsu's split separates the background from
 *    everything brighter; the background's level is the darker class's most common level and the
 *    tissue's the brighter class's median; the core threshold lies `skinLevel` of the way from one
 *    to the other. A film whose background displays at 35 gets a threshold above 35.
 * 3. Film artefacts are blocked: bright strips of unexposed film along the edges, flat white
 *    rectangles (paper labels, with their printed text), and printed text or lead letters with the
 *    box and card they sit on, which a band of exposed film can join broadly to the breast
 *    (filmArtifacts.ts).
 * 4. Above the core threshold, an opening by a disc (erode, keep the largest piece, dilate back)
 *    keeps the breast and drops what is thin or only thinly joined to it: lead markers, printed
 *    text, thin strips. The image's edge counts as background, so an edge strip is as thin as it
 *    looks. Holes are filled (dark fat inside the breast is breast).
 * 5. The breast is grown out to its skin line, the level just above the background's noise
 *    measured away from the breast (its thin edge is darker than the core threshold).
 * 6. Along the edge, each pixel of the image is decided on its own value (averaged over about one
 *    working pixel), so the skin line follows the image's pixels, not a grid.
 *
 * The region is the mask's bounding box grown by a margin. An image with nothing standing out
 * (flat) is all breast: nothing can be excluded with confidence.
 *
 * @example
 * const { mask, region } = findBreast(decoded.display, decoded.rows, decoded.columns);
 * if (insideBreast(mask, row, column)) keep(row, column);
 */
export function findBreast(
  display: ArrayLike<number>,
  rows: number,
  columns: number,
  options: Partial<BreastOptions> = {},
): Breast {
  const { marginFraction, workingSide, openingFraction, skinLevel } = { ...BREAST_DEFAULTS, ...options };
  const factor = Math.max(1, Math.round(Math.max(rows, columns) / workingSide));
  const working = averageDown(display, rows, columns, factor);
  const { rows: wr, columns: wc } = working;
  const smooth = boxSmooth(working.values, wr, wc);
  const coreThreshold = skinThreshold(smooth, skinLevel);
  if (coreThreshold === null) return wholeImage(rows, columns);

  const radius = Math.max(2, Math.round(openingFraction * Math.min(wr, wc)));
  const white = flatWhite(working.values, smooth);
  const wall = chestWallSide(smooth, wr, wc, coreThreshold);
  const { border, edgeStrips } = filmBorder(working.values, white, wr, wc, wall, coreThreshold);
  blockPaperLabels(border, white, wr, wc, radius);
  blockPrintedText(border, working.values, wr, wc, radius);
  const core = openLargest(smooth, border, wr, wc, coreThreshold, radius);
  if (!core) return wholeImage(rows, columns);
  const threshold = Math.min(
    coreThreshold,
    // A film edge strip's blurred halo is no more the background's noise than the breast's edge is.
    backgroundCeiling(smooth, union(core, edgeStrips), wr, wc, coreThreshold, radius * (SKIN_REACH + 1)),
  );
  fillHoles(core, wr, wc);
  const grown = growToSkin(core, smooth, border, wr, wc, { threshold, coreThreshold, radius });
  // The edge decided pixel by pixel can leave specks beside the breast: its largest piece is kept.
  const pixels = refineSkinLine(grown, display, border, wr, wc, factor, rows, columns, threshold);
  keepLargestPiece(pixels, columns);
  fillHoles(pixels, rows, columns);
  return {
    region: boundingRegion(pixels, rows, columns, marginFraction),
    mask: { rows, columns, pixels },
    threshold,
  };
}

function wholeImage(rows: number, columns: number): Breast {
  return {
    region: { top: 0, left: 0, rows, columns },
    mask: { rows, columns, pixels: new Uint8Array(rows * columns).fill(1) },
    threshold: 0,
  };
}

/**
 * The opening of {value > threshold, not film border} by a disc of `radius`, keeping only the
 * largest piece the erosion leaves; null when the erosion leaves nothing.
 */
function openLargest(
  values: Float32Array,
  border: Uint8Array,
  rows: number,
  columns: number,
  threshold: number,
  radius: number,
): Uint8Array | null {
  const above = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) above[i] = values[i]! > threshold && !border[i] ? 1 : 0;
  const toBackground = squaredDistanceTo(above, 0, rows, columns);
  const core = new Uint8Array(above.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0, i = r * columns; c < columns; c++, i++) {
      const toEdge = Math.min(r + 1, c + 1, rows - r, columns - c);
      core[i] = toBackground[i]! > radius * radius && toEdge > radius ? 1 : 0;
    }
  }
  if (!keepLargestPiece(core, columns)) return null;
  const toCore = squaredDistanceTo(core, 1, rows, columns);
  const reach = (radius + 0.5) * (radius + 0.5);
  for (let i = 0; i < above.length; i++) above[i] = above[i] && toCore[i]! <= reach ? 1 : 0;
  return above;
}

/** How far past the opened breast its dim edge is followed, in opening radii. */
const SKIN_REACH = 5;
/** How far past the opened breast bright pixels are taken back, in opening radii. */
const BRIGHT_REACH = 2;

/**
 * The breast grown out to its skin line: the pixels above `threshold` (not film border) connected
 * to the opened breast, the dim ones (up to the core threshold: the breast's thin edge) within
 * SKIN_REACH opening radii of it, the bright ones within BRIGHT_REACH (what the opening rounded
 * off: the nipple, the skin's curve at the film's edge). A label or marker farther out stays out,
 * and holes are not filled again, so one ringed by its dim halo is not taken in either.
 */
function growToSkin(
  breast: Uint8Array,
  values: Float32Array,
  border: Uint8Array,
  rows: number,
  columns: number,
  { threshold, coreThreshold, radius }: { threshold: number; coreThreshold: number; radius: number },
): Uint8Array {
  const toBreast = squaredDistanceTo(breast, 1, rows, columns);
  const dimReach = (radius * SKIN_REACH) ** 2;
  const brightReach = (radius * BRIGHT_REACH) ** 2;
  const candidate = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const reach = v > coreThreshold ? brightReach : dimReach;
    candidate[i] = breast[i] || (v > threshold && !border[i] && toBreast[i]! <= reach) ? 1 : 0;
  }
  const { labels, sizes } = connectedComponents(candidate, columns);
  const keep = new Uint8Array(sizes.length + 1);
  for (let i = 0; i < breast.length; i++) if (breast[i]) keep[labels[i]!] = 1;
  for (let i = 0; i < labels.length; i++) candidate[i] = labels[i] && keep[labels[i]!] ? 1 : 0;
  return candidate;
}

/** A working pixel whose image pixels are all breast ... */
const INSIDE = 1;
/** ... or are each decided on their own value (the mask's edge). */
const EDGE = 2;

/**
 * The working mask at the image's resolution: well inside it is breast, well outside is not, and
 * along its edge (within one working pixel) a pixel is breast where the image, averaged over
 * about one working pixel centred on it (the pixel itself at full working resolution), is above
 * the threshold. So the skin line follows the image's own pixels, not the working grid.
 */
function refineSkinLine(
  working: Uint8Array,
  display: ArrayLike<number>,
  border: Uint8Array,
  workingRows: number,
  workingColumns: number,
  factor: number,
  rows: number,
  columns: number,
  threshold: number,
): Uint8Array {
  const at = (r: number, c: number) =>
    r < 0 || c < 0 || r >= workingRows || c >= workingColumns ? 0 : working[r * workingColumns + c]!;
  const half = factor >> 1;
  const localMean = (r: number, c: number) => {
    let sum = 0;
    let n = 0;
    for (let rr = Math.max(0, r - half); rr <= Math.min(rows - 1, r + half); rr++) {
      for (let cc = Math.max(0, c - half); cc <= Math.min(columns - 1, c + half); cc++) {
        sum += display[rr * columns + cc]!;
        n++;
      }
    }
    return sum / n;
  };
  // Decided once per working pixel, then applied to its factor x factor image pixels.
  const kinds = new Uint8Array(workingRows * workingColumns);
  for (let wr = 0; wr < workingRows; wr++) {
    for (let wc = 0; wc < workingColumns; wc++) {
      if (border[wr * workingColumns + wc]) continue;
      const here = at(wr, wc);
      const around = at(wr - 1, wc) + at(wr + 1, wc) + at(wr, wc - 1) + at(wr, wc + 1);
      kinds[wr * workingColumns + wc] = here && around === 4 ? INSIDE : here || around > 0 ? EDGE : 0;
    }
  }
  const pixels = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const rowKinds = ((r / factor) | 0) * workingColumns;
    for (let wc = 0; wc < workingColumns; wc++) {
      const kind = kinds[rowKinds + wc];
      if (kind === INSIDE) {
        // A run of inside working pixels is filled at once.
        let last = wc;
        while (last + 1 < workingColumns && kinds[rowKinds + last + 1] === INSIDE) last++;
        pixels.fill(1, r * columns + wc * factor, r * columns + Math.min(columns, (last + 1) * factor));
        wc = last;
      } else if (kind === EDGE) {
        const to = Math.min(columns, (wc + 1) * factor);
        for (let c = wc * factor; c < to; c++) if (localMean(r, c) > threshold) pixels[r * columns + c] = 1;
      }
    }
  }
  return pixels;
}

function union(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! | b[i]!;
  return out;
}

function boundingRegion(pixels: Uint8Array, rows: number, columns: number, marginFraction: number): Region {
  let top = rows;
  let bottom = -1;
  let left = columns;
  let right = -1;
  for (let r = 0; r < rows; r++) {
    // The mask is 0/1: each row's first and last 1 are found natively.
    const row = pixels.subarray(r * columns, (r + 1) * columns);
    const first = row.indexOf(1);
    if (first < 0) continue;
    if (r < top) top = r;
    bottom = r;
    left = Math.min(left, first);
    right = Math.max(right, row.lastIndexOf(1));
  }
  if (bottom < 0) return { top: 0, left: 0, rows, columns };
  const margin = Math.round(Math.max(rows, columns) * marginFraction);
  const t = Math.max(0, top - margin);
  const l = Math.max(0, left - margin);
  return {
    top: t,
    left: l,
    rows: Math.min(rows, bottom + 1 + margin) - t,
    columns: Math.min(columns, right + 1 + margin) - l,
  };
}
