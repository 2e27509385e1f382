/**
 * Which AI finding each mask pixel belongs to, so that rejecting a finding takes away everything it
 * contributed to the mask and nothing another finding did. Pure raster code, unit-tested in Node.
 */
import { levelOfThreshold, type PixelBounds } from '../maskRaster.js';

/** What the ownership needs of an AI finding (the API's Finding has it). */
export interface OwnedFinding {
  /** Positive, as the API numbers findings. */
  index: number;
  bounds: PixelBounds;
  maxProbability: number;
}

/**
 * The mask pixels that belong to the finding `index`, ascending.
 *
 * The back end outlines a finding as the 8-connected region around its peak where the map stays at
 * or above half the peak; the editor's mask is the map at the (lower) finding threshold, so its blob
 * around a finding is larger and frayed: a skirt joined only at corners, and specks a pixel or two
 * away. Each finding's seeds are its own outline's pixels that the mask still holds (inside its
 * bounds, map at or above half its peak, earlier findings first as the back end owns them); from all
 * seeds at once a breadth-first flood grows through the mask, 8-connected and across gaps of up to
 * `gapPixels`, each pixel going to the finding that reaches it first (the nearest, along the mask).
 * Mask pixels no finding reaches (a blob far from every finding, the reader's own strokes) are no
 * finding's.
 *
 * Only the piece of the mask the finding's seeds lie in is flooded (the pixels connected to them
 * across such gaps), inside a window around them that grows until it holds the whole piece: the
 * flood elsewhere cannot reach it, so the answer is the whole image's flood's, at the cost of the
 * piece (a full-field image's whole-image flood took 0.6-0.8 s).
 *
 * @example
 * const owned = pixelsOwnedBy(mask, columns, map, 0.5, prediction.findings, 14, 1);
 * for (const i of owned) mask[i] = 0; // finding 1 rejected
 */
export function pixelsOwnedBy(
  mask: Uint8Array,
  columns: number,
  map: Uint8Array,
  threshold: number,
  findings: readonly OwnedFinding[],
  gapPixels: number,
  index: number,
): Uint32Array {
  const rows = mask.length / columns;
  const seeds = ownershipSeeds(mask, columns, rows, map, threshold, findings);
  const own: number[] = [];
  for (let k = 0; k < seeds.pixels.length; k++) if (seeds.owners[k] === index) own.push(seeds.pixels[k]!);
  if (!own.length) return new Uint32Array(0);
  // Grown by half the gap on every side, two mask pixels `gapPixels` apart touch.
  const radius = Math.max(0, Math.ceil(gapPixels / 2));
  let window = grownBox(boxOfPixels(own, columns), OWNERSHIP_WINDOW_MARGIN + radius, columns, rows);
  for (;;) {
    const passable = passableIn(mask, columns, rows, window, radius);
    const flood = floodWindow(columns, rows, window, passable, seeds);
    // A piece inside the window is flooded as the whole image floods it (no other piece meets it);
    // one that reaches a side of the window may go on past it, to seeds that would win its pixels.
    const reached = flood.reachedSide ? sidesReached(own, columns, rows, window, passable) : null;
    if (!reached) return ownedIn(mask, columns, window, flood.owner, index);
    // The finding's piece goes on past the sides it reached: those move out by the window's size.
    const height = window.bottom - window.top + 1;
    const width = window.right - window.left + 1;
    window = {
      top: reached.top ? Math.max(0, window.top - height) : window.top,
      left: reached.left ? Math.max(0, window.left - width) : window.left,
      bottom: reached.bottom ? Math.min(rows - 1, window.bottom + height) : window.bottom,
      right: reached.right ? Math.min(columns - 1, window.right + width) : window.right,
    };
  }
}

/** Pixels around a finding's seeds the first window takes beyond the gap's reach. */
const OWNERSHIP_WINDOW_MARGIN = 32;

interface Seeds {
  /** In the flood's order: findings by index, each one's in raster order. */
  pixels: number[];
  owners: number[];
}

/**
 * Every finding's seeds: the mask pixels inside its bounds where the map reaches half its peak
 * (where the reader erased that core, what the mask still holds above the threshold), a pixel
 * going to the first finding that has it.
 */
function ownershipSeeds(
  mask: Uint8Array,
  columns: number,
  rows: number,
  map: Uint8Array,
  threshold: number,
  findings: readonly OwnedFinding[],
): Seeds {
  const seeds: Seeds = { pixels: [], owners: [] };
  const boxes = findings.map(({ bounds }) => ({
    top: Math.max(0, bounds.top),
    left: Math.max(0, bounds.left),
    bottom: Math.min(rows - 1, bounds.bottom),
    right: Math.min(columns - 1, bounds.right),
  }));
  // Which pixels an earlier finding took, over the boxes' extent only (not the whole image's).
  const inImage = boxes.filter((b) => b.top <= b.bottom && b.left <= b.right);
  if (!inImage.length) return seeds;
  const extent = {
    top: Math.min(...inImage.map((b) => b.top)),
    left: Math.min(...inImage.map((b) => b.left)),
    bottom: Math.max(...inImage.map((b) => b.bottom)),
    right: Math.max(...inImage.map((b) => b.right)),
  };
  const extentWidth = extent.right - extent.left + 1;
  const taken = new Uint8Array(extentWidth * (extent.bottom - extent.top + 1));
  const floor = levelOfThreshold(threshold);
  const order = findings.map((_, k) => k).sort((a, b) => findings[a]!.index - findings[b]!.index);
  for (const k of order) {
    const { top, left, bottom, right } = boxes[k]!;
    const seedsAt = (level: number): number[] => {
      const found: number[] = [];
      for (let row = top; row <= bottom; row++) {
        const takenRow = (row - extent.top) * extentWidth - extent.left;
        for (let column = left; column <= right; column++) {
          const i = row * columns + column;
          if (mask[i] && !taken[takenRow + column] && map[i]! >= level) found.push(i);
        }
      }
      return found;
    };
    const finding = findings[k]!;
    const halfPeak = Math.max(floor, Math.round((finding.maxProbability * 255) / 2));
    const atHalfPeak = seedsAt(halfPeak);
    for (const i of atHalfPeak.length ? atHalfPeak : seedsAt(floor)) {
      const row = (i / columns) | 0;
      taken[(row - extent.top) * extentWidth + i - row * columns - extent.left] = 1;
      seeds.pixels.push(i);
      seeds.owners.push(finding.index);
    }
  }
  return seeds;
}

/** The sides of a window, those that are not the image's. */
interface Sides {
  top: boolean;
  left: boolean;
  bottom: boolean;
  right: boolean;
}

/**
 * The flood from every seed inside the window, in the seeds' order, through the window's passable
 * pixels: each pixel's finding (0: none), and whether it reached a side of the window that is not
 * the image's.
 */
function floodWindow(
  columns: number,
  rows: number,
  window: PixelBounds,
  passable: Uint8Array,
  seeds: Seeds,
): { owner: Int32Array; reachedSide: boolean } {
  const width = window.right - window.left + 1;
  const height = window.bottom - window.top + 1;
  const owner = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  let tail = 0;
  for (let k = 0; k < seeds.pixels.length; k++) {
    const i = seeds.pixels[k]!;
    const row = Math.floor(i / columns) - window.top;
    const column = i - (row + window.top) * columns - window.left;
    if (row < 0 || row >= height || column < 0 || column >= width) continue;
    owner[row * width + column] = seeds.owners[k]!;
    queue[tail++] = row * width + column;
  }
  const open = openSides(columns, rows, window);
  let reachedSide = false;
  const around = new Int32Array(9);
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    reachedSide ||= onSide(i, width, height, open) !== null;
    const count = neighboursOf(i, width, height, around);
    // In raster order, as the whole-image flood took them: which finding reaches a pixel first depends on it.
    for (let k = 0; k < count; k++) {
      const n = around[k]!;
      if (!owner[n] && passable[n]) {
        owner[n] = owner[i]!;
        queue[tail++] = n;
      }
    }
  }
  return { owner, reachedSide };
}

/**
 * The sides of the window (not the image's) that the pixels connected to the seeds through
 * passable pixels reach; null when none.
 */
function sidesReached(
  seeds: readonly number[],
  columns: number,
  rows: number,
  window: PixelBounds,
  passable: Uint8Array,
): Sides | null {
  const width = window.right - window.left + 1;
  const height = window.bottom - window.top + 1;
  const connected = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let tail = 0;
  for (const i of seeds) {
    const local = (Math.floor(i / columns) - window.top) * width + (i % columns) - window.left;
    if (!connected[local]) {
      connected[local] = 1;
      queue[tail++] = local;
    }
  }
  const open = openSides(columns, rows, window);
  const reached: Sides = { top: false, left: false, bottom: false, right: false };
  let any = false;
  const around = new Int32Array(9);
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const side = onSide(i, width, height, open);
    if (side) {
      reached[side] = true;
      any = true;
    }
    for (let k = neighboursOf(i, width, height, around) - 1; k >= 0; k--) {
      const n = around[k]!;
      if (!connected[n] && passable[n]) {
        connected[n] = 1;
        queue[tail++] = n;
      }
    }
  }
  return any ? reached : null;
}

/** Which sides of the window are not the image's. */
function openSides(columns: number, rows: number, window: PixelBounds): Sides {
  return {
    top: window.top > 0,
    left: window.left > 0,
    bottom: window.bottom < rows - 1,
    right: window.right < columns - 1,
  };
}

/** The open side a window pixel lies on (one of them, at a corner), or null. */
function onSide(i: number, width: number, height: number, open: Sides): keyof Sides | null {
  const row = (i / width) | 0;
  const column = i - row * width;
  if (open.top && row === 0) return 'top';
  if (open.bottom && row === height - 1) return 'bottom';
  if (open.left && column === 0) return 'left';
  if (open.right && column === width - 1) return 'right';
  return null;
}

/** The finding `index`'s mask pixels in the window, ascending (the gaps were crossed, not claimed). */
function ownedIn(
  mask: Uint8Array,
  columns: number,
  window: PixelBounds,
  owner: Int32Array,
  index: number,
): Uint32Array {
  const width = window.right - window.left + 1;
  const isOwned = (row: number, column: number): boolean =>
    owner[(row - window.top) * width + column - window.left] === index && mask[row * columns + column] !== 0;
  let count = 0;
  for (let row = window.top; row <= window.bottom; row++)
    for (let column = window.left; column <= window.right; column++) if (isOwned(row, column)) count++;
  const owned = new Uint32Array(count);
  let k = 0;
  for (let row = window.top; row <= window.bottom; row++)
    for (let column = window.left; column <= window.right; column++)
      if (isOwned(row, column)) owned[k++] = row * columns + column;
  return owned;
}

/**
 * The pixel `i` of a `width` x `height` raster and its 8 neighbours inside it, in raster order,
 * written to `out`; returns how many.
 */
function neighboursOf(i: number, width: number, height: number, out: Int32Array): number {
  const row = (i / width) | 0;
  const column = i - row * width;
  if (row > 0 && row < height - 1 && column > 0 && column < width - 1) {
    out[0] = i - width - 1;
    out[1] = i - width;
    out[2] = i - width + 1;
    out[3] = i - 1;
    out[4] = i;
    out[5] = i + 1;
    out[6] = i + width - 1;
    out[7] = i + width;
    out[8] = i + width + 1;
    return 9;
  }
  let count = 0;
  for (let r = Math.max(0, row - 1); r <= Math.min(height - 1, row + 1); r++)
    for (let c = Math.max(0, column - 1); c <= Math.min(width - 1, column + 1); c++)
      out[count++] = r * width + c;
  return count;
}

/**
 * Which pixels of `window` are within `radius` (a square) of a mask pixel: the mask around the
 * window, as far as the radius reaches, grown by separable running counts.
 */
function passableIn(
  mask: Uint8Array,
  columns: number,
  rows: number,
  window: PixelBounds,
  radius: number,
): Uint8Array {
  const around = grownBox(window, radius, columns, rows);
  const width = around.right - around.left + 1;
  const height = around.bottom - around.top + 1;
  const whole = width === columns && height === rows;
  const part = whole ? mask : new Uint8Array(width * height);
  for (let row = 0; row < height && !whole; row++) {
    const from = (around.top + row) * columns + around.left;
    part.set(mask.subarray(from, from + width), row * width);
  }
  const grown = dilate(part, width, height, radius);
  const windowWidth = window.right - window.left + 1;
  if (windowWidth === width && window.bottom - window.top + 1 === height) return grown;
  const passable = new Uint8Array(windowWidth * (window.bottom - window.top + 1));
  for (let row = window.top; row <= window.bottom; row++) {
    const from = (row - around.top) * width + window.left - around.left;
    passable.set(grown.subarray(from, from + windowWidth), (row - window.top) * windowWidth);
  }
  return passable;
}

/** The box grown by `by` pixels on every side, inside the image. */
function grownBox(box: PixelBounds, by: number, columns: number, rows: number): PixelBounds {
  return {
    top: Math.max(0, box.top - by),
    left: Math.max(0, box.left - by),
    bottom: Math.min(rows - 1, box.bottom + by),
    right: Math.min(columns - 1, box.right + by),
  };
}

/** The rows and columns that hold the pixels (at least one). */
function boxOfPixels(pixels: readonly number[], columns: number): PixelBounds {
  const box = { top: rows(pixels[0]!), left: columns, bottom: 0, right: 0 };
  for (const i of pixels) {
    const row = rows(i);
    const column = i - row * columns;
    if (row < box.top) box.top = row;
    if (row > box.bottom) box.bottom = row;
    if (column < box.left) box.left = column;
    if (column > box.right) box.right = column;
  }
  return box;
  function rows(i: number): number {
    return (i / columns) | 0;
  }
}

/** The mask grown by a (2r+1)-pixel square: separable running counts, linear in the image. */
function dilate(mask: Uint8Array, columns: number, rows: number, radius: number): Uint8Array {
  if (radius === 0) return mask.map((v) => (v ? 1 : 0));
  const across = new Uint8Array(mask.length);
  for (let row = 0; row < rows; row++) {
    const offset = row * columns;
    let inWindow = 0;
    for (let c = 0; c < Math.min(columns, radius); c++) if (mask[offset + c]) inWindow++;
    for (let column = 0; column < columns; column++) {
      const entering = column + radius;
      const leaving = column - radius - 1;
      if (entering < columns && mask[offset + entering]) inWindow++;
      if (leaving >= 0 && mask[offset + leaving]) inWindow--;
      across[offset + column] = inWindow > 0 ? 1 : 0;
    }
  }
  // Down the columns, all columns at once, a row at a time (a column at a time strides the memory).
  const grown = new Uint8Array(mask.length);
  const inWindow = new Int32Array(columns);
  const addRow = (row: number, sign: number) => {
    const offset = row * columns;
    for (let column = 0; column < columns; column++)
      if (across[offset + column]) inWindow[column] = inWindow[column]! + sign;
  };
  for (let r = 0; r < Math.min(rows, radius); r++) addRow(r, 1);
  for (let row = 0; row < rows; row++) {
    if (row + radius < rows) addRow(row + radius, 1);
    if (row - radius - 1 >= 0) addRow(row - radius - 1, -1);
    const offset = row * columns;
    for (let column = 0; column < columns; column++) grown[offset + column] = inWindow[column]! > 0 ? 1 : 0;
  }
  return grown;
}
