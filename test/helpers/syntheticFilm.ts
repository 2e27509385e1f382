/**
 * A digitised film mammogram drawn from known shapes, so a test knows exactly which pixels are
 * breast: a half-ellipse breast on the chest wall (left edge) whose brightness fades to the
 * background over its last millimetres, on a noisy, slightly uneven background, with the things a
 * film carries besides the breast: white strips of unexposed film along three edges, a lead
 * marker, a printed text label, and a paper label that overlaps the breast's lower edge.
 */

export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SyntheticFilm {
  rows: number;
  columns: number;
  display: Uint8Array;
  /** Whether (row, column) lies inside the breast's skin line (the ellipse), film artefacts aside. */
  insideSkin: (row: number, column: number) => boolean;
  /** Column where the skin line crosses a row (0 where the row misses the breast). */
  skinColumn: (row: number) => number;
  /** Boxes of what is not breast; none of their pixels may be in the breast mask. */
  marker: Box;
  textLabel: Box;
  paperLabel: Box;
  borders: Box[];
}

/** A small deterministic generator (mulberry32), so the film is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The breast (a half-ellipse on the left edge) on a noisy, slightly uneven background. */
function filmWithBreast(
  background: number,
  rows: number,
  columns: number,
  seed: number,
  centreRow = rows / 2,
) {
  const noise = random(seed);
  const semiRows = rows * 0.36;
  const semiColumns = columns * 0.6;
  const skinColumn = (row: number) => {
    const u = (row - centreRow) / semiRows;
    return Math.abs(u) >= 1 ? 0 : semiColumns * Math.sqrt(1 - u * u);
  };
  const insideSkin = (row: number, column: number) => column + 0.5 < skinColumn(row + 0.5);
  const display = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const skin = skinColumn(r + 0.5);
    for (let c = 0; c < columns; c++) {
      let v = background + (4 * c) / columns + (noise() - 0.5) * 6;
      const depth = skin - (c + 0.5); // pixels inside the skin line
      if (depth > 0) {
        // Tissue rises from just above the background at the skin to its full level 20 px in.
        const rise = Math.min(1, depth / 20);
        const texture = 20 * Math.sin(r / 7) * Math.cos(c / 9) + (noise() - 0.5) * 8;
        v = background + 10 + rise * (110 + texture);
      }
      display[r * columns + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  const paint = (box: Box, level: (r: number, c: number) => number) => {
    for (let r = box.top; r <= box.bottom; r++)
      for (let c = box.left; c <= box.right; c++) display[r * columns + c] = level(r, c);
  };
  return { display, insideSkin, skinColumn, centreRow, semiRows, paint, noise };
}

export function syntheticFilm({ background = 35, rows = 480, columns = 360, seed = 1 } = {}): SyntheticFilm {
  const { display, insideSkin, skinColumn, centreRow, semiRows, paint } = filmWithBreast(
    background,
    rows,
    columns,
    seed,
  );
  const borders: Box[] = [
    { top: 0, left: 0, bottom: 5, right: columns - 1 },
    { top: rows - 6, left: 0, bottom: rows - 1, right: columns - 1 },
    { top: 0, left: 0, bottom: rows - 1, right: 3 },
  ];
  for (const border of borders) paint(border, () => 245);
  // A lead "L": two 7-pixel bars, far from the breast.
  const marker = { top: 30, left: columns - 80, bottom: 75, right: columns - 45 };
  paint({ ...marker, right: marker.left + 6 }, () => 252);
  paint({ ...marker, top: marker.bottom - 6 }, () => 252);
  // Printed text: thin strokes, two pixels wide.
  const textLabel = { top: rows - 60, left: columns - 110, bottom: rows - 44, right: columns - 20 };
  for (let c = textLabel.left; c <= textLabel.right; c += 6) {
    paint({ top: textLabel.top, left: c, bottom: textLabel.bottom, right: c + 1 }, () => 230);
  }
  // A paper label overlapping the breast's lower edge: flat white, two lines of thin dark text.
  const paperTop = Math.round(centreRow + semiRows * 0.78);
  const paperLabel = {
    top: paperTop,
    left: Math.round(skinColumn(paperTop) - 20),
    bottom: paperTop + 30,
    right: Math.round(skinColumn(paperTop) + 70),
  };
  paint(paperLabel, (r, c) => {
    const line = r - paperLabel.top;
    const x = c - paperLabel.left;
    const inText = (line >= 7 && line <= 13) || (line >= 18 && line <= 24);
    const stroke = x >= 6 && x <= 84 && (x % 6 === 2 || (line % 11 === 10 && x % 6 < 4));
    return inText && stroke ? 40 : 240;
  });
  return { rows, columns, display, insideSkin, skinColumn, marker, textLabel, paperLabel, borders };
}

/** A breast alone, as on a CC view: a half-ellipse whose apex (the nipple) is at a known point. */
export interface SyntheticBreast {
  rows: number;
  columns: number;
  display: Uint8Array;
  /** The apex of the skin line, farthest from the chest wall (continuous image coordinates). */
  nipple: { row: number; column: number };
  /** Distance from the chest wall to the nipple, and from the nipple line to the top and bottom of the breast. */
  depth: number;
  halfHeight: number;
  /** The film edge's strip along the bottom (drawn only with `edgeStrip`). */
  strip: Box;
}

/**
 * The breast of `syntheticFilm` without film artefacts, its chest wall at the left or right edge.
 * With `edgeStrip`, the breast sits low enough to meet the bottom edge near the chest wall, and
 * the film's edge brightens along the whole bottom (11 rows, from just above the background to
 * 100 at the edge: about 0.7 of the tissue's brightest, below film-border white), as on
 * CBIS-DDSM's 00057_RIGHT_CC.
 */
export function syntheticBreast({
  chestWall = 'left' as 'left' | 'right',
  edgeStrip = false,
  background = 0,
  rows = 480,
  columns = 360,
  seed = 3,
} = {}): SyntheticBreast {
  const { display, centreRow, semiRows, skinColumn } = filmWithBreast(
    background,
    rows,
    columns,
    seed,
    edgeStrip ? rows * 0.68 : rows / 2,
  );
  const depth = skinColumn(centreRow);
  const strip = { top: rows - 11, left: 0, bottom: rows - 1, right: columns - 1 };
  if (edgeStrip) {
    for (let r = strip.top; r <= strip.bottom; r++) {
      const level = background + 10 + (90 * (r - strip.top)) / (strip.bottom - strip.top);
      for (let c = 0; c < columns; c++) display[r * columns + c] = Math.max(display[r * columns + c]!, level);
    }
  }
  if (chestWall === 'right') {
    for (let r = 0; r < rows; r++) display.subarray(r * columns, (r + 1) * columns).reverse();
  }
  const nipple = { row: centreRow, column: chestWall === 'left' ? depth : columns - depth };
  return { rows, columns, display, nipple, depth, halfHeight: semiRows, strip };
}

export interface BandFilm {
  rows: number;
  columns: number;
  display: Uint8Array;
  insideSkin: (row: number, column: number) => boolean;
  /** The band of exposed film along the top (a paddle's shadow, an arm), joined to the breast. */
  band: Box;
  /** The label printed on the band, white glyphs on a dark-grey box with a white card at its end. */
  label: Box;
}

/** Seven-segment glyphs (top, upper right, lower right, bottom, lower left, upper left, middle). */
const GLYPHS = ['1111110', '0110000', '1101101', '1111001', '0110011', '1011011', '1011111', '1110000'];

/**
 * A film like CBIS-DDSM's 01355_LEFT_MLO: along the top, below the film's bright edge, a broad
 * band of exposed film (grey, above the background) that joins the breast over its upper edge,
 * and on the band at the far edge a label: a dark-grey box, wider than the breast finder's
 * opening, with a column of white glyphs (3-pixel strokes) below a white card at its top end; it
 * runs on below the band into the background. Neither flat white nor thin, and joined to the
 * breast through the band.
 */
export function syntheticBandFilm({ background = 0, rows = 480, columns = 360, seed = 2 } = {}): BandFilm {
  const { display, insideSkin, paint, noise } = filmWithBreast(background, rows, columns, seed);
  paint({ top: 0, left: 0, bottom: 5, right: columns - 1 }, () => 245);
  const band = { top: 6, left: 0, bottom: 90, right: columns - 1 };
  for (let r = band.top; r <= band.bottom; r++) {
    for (let c = band.left; c <= band.right; c++) {
      const i = r * columns + c;
      // Over the breast the band adds to the tissue; elsewhere it is the band's own grey.
      display[i] = Math.min(255, Math.max(display[i]!, background + 70 + Math.round((noise() - 0.5) * 8)));
    }
  }
  // Sized as on a CBIS-DDSM film, in opening radii (here 4 pixels): a box 5 radii wide, glyphs
  // a little under 3, the box's margins beside them under 1.5.
  const label = { top: 20, left: columns - 22, bottom: 200, right: columns - 1 };
  paint(label, () => background + 55 + Math.round((noise() - 0.5) * 8));
  const card = { ...label, bottom: label.top + 14 };
  paint(card, () => Math.round(238 + (noise() - 0.5) * 12));
  const glyphWidth = 11;
  const glyphHeight = 15;
  const stroke = 3;
  const left = label.left + 5;
  for (let k = 0, top = card.bottom + 4; top + glyphHeight < label.bottom - 3; k++, top += glyphHeight + 4) {
    const on = GLYPHS[k % GLYPHS.length]!;
    const middle = top + (glyphHeight >> 1) - 1;
    const right = left + glyphWidth - 1;
    const bottom = top + glyphHeight - 1;
    const segments: Box[] = [
      { top, left, bottom: top + stroke - 1, right },
      { top, left: right - stroke + 1, bottom: middle + 1, right },
      { top: middle, left: right - stroke + 1, bottom, right },
      { top: bottom - stroke + 1, left, bottom, right },
      { top: middle, left, bottom, right: left + stroke - 1 },
      { top, left, bottom: middle + 1, right: left + stroke - 1 },
      { top: middle, left, bottom: middle + stroke - 1, right },
    ];
    segments.forEach((segment, s) => {
      if (on[s] === '1') paint(segment, () => Math.round(228 + (noise() - 0.5) * 16));
    });
  }
  return { rows, columns, display, insideSkin, band, label };
}

/** Whether (row, column) lies in a box. */
export function inBox(box: Box, row: number, column: number): boolean {
  return row >= box.top && row <= box.bottom && column >= box.left && column <= box.right;
}
