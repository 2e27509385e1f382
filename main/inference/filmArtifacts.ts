import { connectedComponents, fillHoles, squaredDistanceTo } from './maskMorphology.js';
import { quantile } from './breastThreshold.js';
import { whiteTopHat } from './greyMorphology.js';

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
  const components = connectedComponents(flat, columns);
  const { labels } = components;
  const boxes = componentBoxes(components, rows, columns);
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

/** A printed stroke stands this far above its surroundings, as a share of the near-maximum level. */
const STROKE_CONTRAST = 0.3;
/** Printed text is at least this many glyph strokes ... */
const TEXT_GLYPHS = 3;
/** ... each at least an opening radius and at most this many radii long (longer: a film edge's line). */
const GLYPH_LONGEST = 8;
/** Blocked around printed text's bounding box (the box it is printed on), in opening radii. */
const TEXT_MARGIN = 1.5;
/** ... and the white card it is printed on, up to this many opening radii beyond that. */
const CARD_REACH = 4;

/**
 * Marks, in `blocked`, printed text and lead letters with the label they sit on. Text is bright
 * strokes (a white top-hat narrower than an opening radius, standing 0.3 of the near-maximum level
 * above their surroundings) from one to eight opening radii long, at least three of them each
 * within an opening radius of the next, together at least an opening radius across both ways
 * (a film edge's thin line, even broken, is one way only). Blocked: the text's bounding box grown
 * by 1.5 radii (the box it is printed on, between sparse glyphs too), the card it is printed on
 * (pieces as bright as most strokes beside that, ending within 4 radii of it), and their blurred
 * rim. A label printed white on a dark-grey box is neither flat white nor thin as a whole, and it
 * can sit on a band of exposed film joined broadly to the breast, so neither the paper-label rule
 * nor the opening cuts it off. Tissue has no such strokes: its fine structure stands a few levels
 * above its surroundings, and calcifications are dots, not strokes; a cluster inside the breast,
 * should one qualify, is a hole that the breast's hole filling closes again.
 */
export function blockPrintedText(
  blocked: Uint8Array,
  values: Float32Array,
  rows: number,
  columns: number,
  radius: number,
): void {
  const topHat = whiteTopHat(values, rows, columns, Math.max(1, Math.round(radius / 2)));
  const level = STROKE_CONTRAST * quantile(values, 0.999);
  const strokes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) strokes[i] = topHat[i]! >= level ? 1 : 0;
  const pieces = connectedComponents(strokes, columns);
  const pieceBoxes = componentBoxes(pieces, rows, columns);
  const longSide = (box: ComponentBox) => Math.max(box.bottom - box.top, box.right - box.left) + 1;
  for (let i = 0; i < strokes.length; i++) {
    if (strokes[i] && longSide(pieceBoxes[pieces.labels[i]! - 1]!) > GLYPH_LONGEST * radius) strokes[i] = 0;
  }
  const toStroke = squaredDistanceTo(strokes, 1, rows, columns);
  const near = new Uint8Array(values.length);
  for (let i = 0; i < near.length; i++) near[i] = toStroke[i]! <= radius * radius ? 1 : 0;
  const groups = connectedComponents(near, columns);
  // Each stroke lies in one group: count the group's glyphs and box its strokes.
  const glyphs = new Int32Array(groups.sizes.length + 1);
  const counted = new Uint8Array(pieces.sizes.length + 1);
  const groupStrokes = new Int32Array(values.length);
  for (let i = 0; i < strokes.length; i++) {
    if (!strokes[i]) continue;
    const group = groups.labels[i]!;
    groupStrokes[i] = group;
    const piece = pieces.labels[i]!;
    if (counted[piece]) continue;
    counted[piece] = 1;
    if (longSide(pieceBoxes[piece - 1]!) >= radius) glyphs[group]!++;
  }
  const groupBoxes = componentBoxes({ labels: groupStrokes, sizes: groups.sizes }, rows, columns);
  const isText = (group: number) => {
    const box = groupBoxes[group - 1]!;
    const shortSide = Math.min(box.bottom - box.top, box.right - box.left) + 1;
    return glyphs[group]! >= TEXT_GLYPHS && shortSide >= radius;
  };
  // The label: the box of its text grown by 1.5 radii (the box it is printed on) ...
  const label = new Uint8Array(values.length);
  const grow = Math.round(TEXT_MARGIN * radius);
  for (const [index, box] of groupBoxes.entries()) {
    if (!isText(index + 1)) continue;
    for (let r = Math.max(0, box.top - grow); r <= Math.min(rows - 1, box.bottom + grow); r++) {
      label.fill(
        1,
        r * columns + Math.max(0, box.left - grow),
        r * columns + Math.min(columns, box.right + grow + 1),
      );
    }
  }
  const strokeLevels: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (groupStrokes[i] && isText(groupStrokes[i]!)) strokeLevels.push(values[i]!);
  if (strokeLevels.length === 0) return;
  // ... and the card it is printed on: bright pieces beside it, as bright as most strokes, that
  // end within reach (a bright structure that goes on, such as a pectoral muscle, is no card).
  const cardLevel = quantile(strokeLevels, 0.1);
  const toLabel = squaredDistanceTo(label, 1, rows, columns);
  const bright = new Uint8Array(values.length);
  for (let i = 0; i < bright.length; i++) bright[i] = !label[i] && values[i]! >= cardLevel ? 1 : 0;
  const cards = connectedComponents(bright, columns);
  const nearest = new Float32Array(cards.sizes.length + 1).fill(Infinity);
  const farthest = new Float32Array(cards.sizes.length + 1);
  for (let i = 0; i < bright.length; i++) {
    const card = cards.labels[i]!;
    if (!card) continue;
    nearest[card] = Math.min(nearest[card]!, toLabel[i]!);
    farthest[card] = Math.max(farthest[card]!, toLabel[i]!);
  }
  const cardReach = (CARD_REACH * radius) ** 2;
  for (let i = 0; i < label.length; i++) {
    const card = cards.labels[i]!;
    if (card && nearest[card]! <= 2 && farthest[card]! <= cardReach) label[i] = 1;
  }
  // The blur at the label's edge is label too.
  const toLabelOrCard = squaredDistanceTo(label, 1, rows, columns);
  for (let i = 0; i < blocked.length; i++) if (toLabelOrCard[i]! <= LABEL_RIM * LABEL_RIM) blocked[i] = 1;
}

interface ComponentBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The bounding box of each labelled component (boxes[label - 1]). */
function componentBoxes(
  { labels, sizes }: { labels: Int32Array; sizes: number[] },
  rows: number,
  columns: number,
): ComponentBox[] {
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
  return boxes;
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
/** An edge line this nearly all above the skin threshold, background included, is film edge ... */
const EDGE_COVERED = 0.98;
/** ... when the line BORDER_DEPTH further in is mostly background (the strip is thin, not tissue). */
const EDGE_COVERED_INSIDE = 0.5;
/** Lines inside such a strip that are its blurred rim (dimmer than the core threshold, above the skin's). */
const EDGE_RIM = 2;
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
 * - on the edges other than the chest wall's, lines from the edge inward that are above the skin
 *   threshold nearly all along, the background's part included, while the line a little further
 *   in is mostly background: a film edge that brightens toward the edge without reaching
 *   film-border brightness, joined to the breast where the breast meets it (with two lines of its
 *   blurred rim). These are also returned as `edgeStrips`: the breast finder measures the
 *   background's noise away from them, as away from the breast;
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
  threshold: number,
): { border: Uint8Array; edgeStrips: Uint8Array } {
  const border = new Uint8Array(values.length);
  const edgeStrips = new Uint8Array(values.length);
  const bright = 0.8 * quantile(values, 0.999);
  // Along the top and bottom, j runs from the chest wall; `reach` is how far along a strip may run.
  const fromWall = (j: number) => (chestWall === 'left' ? j : columns - 1 - j);
  const wallGap = Math.ceil(columns * STRIP_DEPTH);
  const edges = [
    {
      lines: rows,
      length: columns,
      at: (k: number, j: number) => k * columns + fromWall(j),
      skip: wallGap,
      wallEdge: false,
    },
    {
      lines: rows,
      length: columns,
      at: (k: number, j: number) => (rows - 1 - k) * columns + fromWall(j),
      skip: wallGap,
      wallEdge: false,
    },
    // The chest wall's own edge: only bright full-length strips (a saturated pectoral muscle runs
    // along it, and the breast's base covers it).
    {
      lines: columns,
      length: rows,
      at: (k: number, j: number) => j * columns + (chestWall === 'left' ? k : columns - 1 - k),
      skip: rows,
      wallEdge: true,
    },
    {
      lines: columns,
      length: rows,
      at: (k: number, j: number) => j * columns + (chestWall === 'left' ? columns - 1 - k : k),
      skip: 0,
      wallEdge: false,
    },
  ];
  for (const { lines, length, at, skip, wallEdge } of edges) {
    const depth = Math.min(lines - 1, Math.ceil(lines * BORDER_DEPTH));
    const share = (k: number, level: number) => {
      let n = 0;
      for (let j = 0; j < length; j++) if (values[at(k, j)]! >= level) n++;
      return n / length;
    };
    const brightShare = (k: number) => share(k, bright);
    const coveredShare = (k: number) => share(k, threshold);
    const stripOf = (measure: (k: number) => number, least: number) => {
      for (let k = 0; k < Math.min(3, depth); k++) {
        if (measure(k) < least) continue;
        const inner = measure(depth) + 0.1;
        let end = k;
        while (end < depth && measure(end) > inner) end++;
        return end;
      }
      return 0;
    };
    let end = stripOf(brightShare, BORDER_LINE_BRIGHT);
    // Not on the chest wall's edge, where the breast's base covers the line.
    if (end === 0 && !wallEdge && coveredShare(depth) < EDGE_COVERED_INSIDE) {
      const strip = Math.min(depth, stripOf(coveredShare, EDGE_COVERED) + EDGE_RIM);
      if (strip > EDGE_RIM) {
        for (let k = 0; k < strip; k++) for (let j = 0; j < length; j++) edgeStrips[at(k, j)] = 1;
        end = strip;
      }
    }
    for (let k = 0; k < end; k++) for (let j = 0; j < length; j++) border[at(k, j)] = 1;

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
  return { border, edgeStrips };
}
