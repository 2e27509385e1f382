import { connectedComponents, fillHoles, squaredDistanceTo } from './maskMorphology.js';
import { quantile } from './breastThreshold.js';

/**
 * What a film carries besides the breast that can touch it broadly: strips of unexposed film
 * along its edges, paper labels, scanner lids. Found as blocked pixels that the breast finder
 * never takes in.
 */
/** How far a flat white pixel may stray from its 3x3 mean, in display levels. */
const FLAT_NOISE = 2;
/** Flat white starts at this fraction of the image's near-maximum level. */
const WHITE_LEVEL = 0.7;

/**
 * Flat white: bright (at least 0.7 of the image's near-maximum level) and flat (within two levels
 * of its 3x3 mean): paper labels, unexposed film, scanner lids, and saturated tissue.
 */
export function flatWhite(values: Float32Array, smooth: Float32Array): Uint8Array {
  const white = WHITE_LEVEL * quantile(smooth, 0.999);
  const flat = new Uint8Array(smooth.length);
  for (let i = 0; i < smooth.length; i++) {
    flat[i] = smooth[i]! >= white && Math.abs(values[i]! - smooth[i]!) <= FLAT_NOISE ? 1 : 0;
  }
  return flat;
}

/** A flat white block this close to a full rectangle (its holes filled) is a label or a film strip. */
const LABEL_RECTANGULARITY = 0.85;
/** ... and no larger than this share of the image (a flat synthetic or saturated breast is larger). */
const LABEL_MAX_AREA = 0.03;
/** Pixels around a label's box that are blocked with it. */
const LABEL_RIM = 2;

/**
 * Marks, in `blocked`, paper labels and pieces of unexposed film: blocks of flat white, cut from
 * thin joins (an opening of two pixels), that fill at least 85% of their bounding box once their
 * holes (the printed text) are filled and are at least an opening radius across. They can be as
 * wide as the breast is near them and join it broadly, so the opening alone does not cut them
 * off. Tissue saturates in round or triangular patches (a dense mass, the pectoral muscle), not
 * in rectangles.
 */
export function blockPaperLabels(
  blocked: Uint8Array,
  white: Uint8Array,
  rows: number,
  columns: number,
  radius: number,
): void {
  const toDark = squaredDistanceTo(white, 0, rows, columns);
  const eroded = new Uint8Array(white.length);
  for (let i = 0; i < white.length; i++) eroded[i] = toDark[i]! > 4 ? 1 : 0;
  const toEroded = squaredDistanceTo(eroded, 1, rows, columns);
  const flat = new Uint8Array(white.length);
  for (let i = 0; i < white.length; i++) flat[i] = white[i] && toEroded[i]! <= 4 ? 1 : 0;
  const { labels, sizes } = connectedComponents(flat, columns);
  const boxes = sizes.map(() => ({ top: rows, left: columns, bottom: -1, right: -1 }));
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i]) continue;
    const box = boxes[labels[i]! - 1]!;
    const r = (i / columns) | 0;
    const c = i - r * columns;
    box.top = Math.min(box.top, r);
    box.bottom = Math.max(box.bottom, r);
    box.left = Math.min(box.left, c);
    box.right = Math.max(box.right, c);
  }
  for (const [index, box] of boxes.entries()) {
    const height = box.bottom - box.top + 1;
    const width = box.right - box.left + 1;
    if (Math.min(height, width) < radius) continue;
    const block = new Uint8Array(height * width);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++)
        block[r * width + c] = labels[(box.top + r) * columns + box.left + c] === index + 1 ? 1 : 0;
    }
    fillHoles(block, height, width);
    let filled = 0;
    for (const b of block) filled += b;
    if (filled < LABEL_RECTANGULARITY * height * width || filled > LABEL_MAX_AREA * rows * columns) continue;
    // The whole box and its edge's blur: a label's rim is not flat, but it is label.
    for (let r = Math.max(0, box.top - LABEL_RIM); r <= Math.min(rows - 1, box.bottom + LABEL_RIM); r++) {
      for (let c = Math.max(0, box.left - LABEL_RIM); c <= Math.min(columns - 1, box.right + LABEL_RIM); c++)
        blocked[r * columns + c] = 1;
    }
  }
}

/** The side the breast leans on: the one whose outer tenth holds more above-threshold pixels. */
export function chestWallSide(
  values: Float32Array,
  rows: number,
  columns: number,
  threshold: number,
): 'left' | 'right' {
  const band = Math.max(1, Math.round(columns / 10));
  let left = 0;
  let right = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < band; k++) {
      if (values[r * columns + k]! > threshold) left++;
      if (values[r * columns + columns - 1 - k]! > threshold) right++;
    }
  }
  return left >= right ? 'left' : 'right';
}

/** Share of a line's pixels that must be bright for it to be the film's edge. */
const BORDER_LINE_BRIGHT = 0.8;
/** Full-length film border strips are looked for this deep, as a fraction of the image's side. */
const BORDER_DEPTH = 0.04;
/** A line near an edge with one run of flat white this long (share of the line) is part of a strip. */
const STRIP_RUN = 0.35;
/** Partial strips (unexposed film beside a label panel) are looked for this deep. */
const STRIP_DEPTH = 0.12;

/**
 * The film's bright border strips, along each image edge:
 * - lines (rows or columns) from the edge inward that are almost all bright (at least 80% of the
 *   pixels at 0.8 of the image's near-maximum level), and the fading lines after them until they
 *   are no brighter than the image a little further in: an unexposed film edge or a scanner's
 *   lid. A breast or pectoral muscle covers part of an edge line, never nearly all of it with
 *   film-border brightness;
 * - strips of flat white that run along an edge for a third of its length or more, a little way
 *   in (a film's clear margin beside its label panel): everything from the edge to the strip's
 *   inner side, over the strip's length.
 */
export function filmBorder(
  values: Float32Array,
  white: Uint8Array,
  rows: number,
  columns: number,
  chestWall: 'left' | 'right',
): Uint8Array {
  const border = new Uint8Array(values.length);
  const bright = 0.8 * quantile(values, 0.999);
  // Along the top and bottom, j runs from the chest wall; `reach` is how far along a strip may run.
  const fromWall = (j: number) => (chestWall === 'left' ? j : columns - 1 - j);
  const wallGap = Math.ceil(columns * STRIP_DEPTH);
  const edges = [
    { lines: rows, length: columns, at: (k: number, j: number) => k * columns + fromWall(j), skip: wallGap },
    {
      lines: rows,
      length: columns,
      at: (k: number, j: number) => (rows - 1 - k) * columns + fromWall(j),
      skip: wallGap,
    },
    // The chest wall's own edge: only full-length strips (a saturated pectoral muscle runs along it).
    {
      lines: columns,
      length: rows,
      at: (k: number, j: number) => j * columns + (chestWall === 'left' ? k : columns - 1 - k),
      skip: rows,
    },
    {
      lines: columns,
      length: rows,
      at: (k: number, j: number) => j * columns + (chestWall === 'left' ? columns - 1 - k : k),
      skip: 0,
    },
  ];
  for (const { lines, length, at, skip } of edges) {
    const depth = Math.min(lines - 1, Math.ceil(lines * BORDER_DEPTH));
    const brightShare = (k: number) => {
      let n = 0;
      for (let j = 0; j < length; j++) if (values[at(k, j)]! >= bright) n++;
      return n / length;
    };
    let first = -1;
    for (let k = 0; k < Math.min(3, depth); k++) {
      if (brightShare(k) >= BORDER_LINE_BRIGHT) {
        first = k;
        break;
      }
    }
    if (first >= 0) {
      const inner = brightShare(depth) + 0.1;
      let end = first;
      while (end < depth && brightShare(end) > inner) end++;
      for (let k = 0; k < end; k++) for (let j = 0; j < length; j++) border[at(k, j)] = 1;
    }

    let innermost = -1;
    let spanStart = length;
    let spanEnd = -1;
    const stripDepth = Math.min(lines, Math.ceil(lines * STRIP_DEPTH));
    for (let k = 0; k < stripDepth; k++) {
      let run = 0;
      for (let j = skip; j < length; j++) {
        run = white[at(k, j)] ? run + 1 : 0;
        if (run < STRIP_RUN * length) continue;
        innermost = k;
        let start = j - run + 1;
        let end = j;
        while (end + 1 < length && white[at(k, end + 1)]) end++;
        while (start > skip && white[at(k, start - 1)]) start--;
        spanStart = Math.min(spanStart, start);
        spanEnd = Math.max(spanEnd, end);
        break;
      }
    }
    // A strip ends inside the band searched; one that goes on is something broad (tissue).
    if (innermost >= stripDepth - 3) continue;
    for (let k = 0; k <= innermost + 2 && k < lines; k++) {
      for (let j = spanStart; j <= spanEnd; j++) border[at(k, j)] = 1;
    }
  }
  return border;
}
