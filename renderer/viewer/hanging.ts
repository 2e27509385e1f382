/**
 * The mammography hanging: which image goes in which cell, and which edge its chest wall sits
 * against. Pure, so it is unit-tested without a browser.
 */
import type { Image } from '../../main/api/domain.js';

/** The viewport edge an image is pushed against: the chest wall's side on screen. */
export type HangingAlignment = 'left' | 'right' | 'center';

export interface HangingCell {
  /** Stable key, e.g. `RCC`, `LMLO`, `RCC#2` for a second RCC. */
  key: string;
  /** Laterality and view, e.g. `LMLO`. */
  label: string;
  /**
   * What the reader sees in the corner and in the AI panel: the label, and when another image of
   * the study has the same label, what tells them apart (`LMLO · image 3`, its instance number).
   */
  name: string;
  laterality: 'R' | 'L' | null;
  view: string | null;
  /** Null for a standard view that this study lacks (the cell stays empty so pairs keep their place). */
  image: Image | null;
  align: HangingAlignment;
}

export interface Hanging {
  rows: number;
  columns: number;
  /** Row-major, `rows * columns` cells. */
  cells: HangingCell[];
}

/** Cranio-caudal views first, then oblique, then laterals, then the rest. */
const VIEW_ORDER = ['CC', 'XCCL', 'XCCM', 'FB', 'MLO', 'ML', 'LM', 'LMO', 'SIO'];

function viewRank(view: string | null): number {
  const index = view === null ? -1 : VIEW_ORDER.indexOf(view);
  return index === -1 ? VIEW_ORDER.length : index;
}

export function lateralityOf(image: Image): 'R' | 'L' | null {
  return image.laterality === 'R' || image.laterality === 'L' ? image.laterality : null;
}

/**
 * The standard display (display-conventions.md): a right breast's chest wall on the image's right,
 * a left breast's on its left. With R hung in the left column and L in the right, the chest walls
 * meet at the centre line ("back to back"), each image pushed against that inner edge.
 */
export function alignmentFor(laterality: 'R' | 'L' | null): HangingAlignment {
  if (laterality === 'R') return 'right';
  if (laterality === 'L') return 'left';
  return 'center';
}

/**
 * Lays out a study's displayable images by what it holds. With both breasts: columns R then L, one
 * row per view (CC above MLO), a further row for each repeated view, so four standard views give
 * the 2x2 of RCC LCC / RMLO LMLO and a mini-MIAS pair gives RMLO | LMLO. With one breast only (a
 * same-view series such as WG04's two LMLO films, or a unilateral CC and MLO): one row, 1xN, so
 * portrait images side by side each fill a tall cell instead of a fifth of a wide one. A lone
 * image fills the screen.
 *
 * @example
 * hangStudy(detail.images).cells.map((c) => c.key); // ['RCC', 'LCC', 'RMLO', 'LMLO']
 */
export function hangStudy(images: readonly Image[]): Hanging {
  const shown = images.filter((image) => image.forDisplay);
  const sides: ('R' | 'L' | null)[] = [];
  for (const side of ['R', 'L', null] as const)
    if (shown.some((image) => lateralityOf(image) === side)) sides.push(side);
  const views = [...new Set(shown.map((image) => image.view))].sort(
    (a, b) => viewRank(a) - viewRank(b) || String(a).localeCompare(String(b)),
  );
  const [onlySide] = sides;
  if (sides.length === 1 && onlySide !== undefined) return hangOneSide(shown, onlySide, views);

  const cells: HangingCell[] = [];
  for (const view of views) {
    const perSide = sides.map((side) =>
      shown.filter((image) => image.view === view && lateralityOf(image) === side),
    );
    const depth = Math.max(...perSide.map((list) => list.length));
    for (let repeat = 0; repeat < depth; repeat++) {
      sides.forEach((side, column) => {
        const label = `${side ?? ''}${view ?? '?'}`;
        cells.push({
          key: repeat ? `${label}#${repeat + 1}` : label,
          label,
          name: label,
          laterality: side,
          view,
          image: perSide[column]?.[repeat] ?? null,
          align: alignmentFor(side),
        });
      });
    }
  }
  const columns = Math.max(1, sides.length);
  return { rows: Math.max(1, cells.length / columns), columns, cells: tellApart(cells) };
}

/**
 * Names the images that share a label by their instance number (`LMLO · image 3`), or by their
 * place among them (`LMLO · 1 of 2`) when instance numbers are missing or the same.
 */
function tellApart(cells: HangingCell[]): HangingCell[] {
  const byLabel = new Map<string, HangingCell[]>();
  for (const cell of cells)
    if (cell.image) byLabel.set(cell.label, [...(byLabel.get(cell.label) ?? []), cell]);
  const names = new Map<HangingCell, string>();
  for (const [label, same] of byLabel) {
    if (same.length < 2) continue;
    const numbers = same.map((cell) => cell.image!.instanceNumber);
    const distinct = numbers.every((n) => n !== null) && new Set(numbers).size === numbers.length;
    same.forEach((cell, i) =>
      names.set(cell, distinct ? `${label} · image ${numbers[i]}` : `${label} · ${i + 1} of ${same.length}`),
    );
  }
  return cells.map((cell) => ({ ...cell, name: names.get(cell) ?? cell.label }));
}

/** One breast's images in a single row, in view order, repeats of a view next to each other. */
function hangOneSide(
  shown: readonly Image[],
  side: 'R' | 'L' | null,
  views: readonly (string | null)[],
): Hanging {
  const cells: HangingCell[] = [];
  for (const view of views) {
    const label = `${side ?? ''}${view ?? '?'}`;
    shown
      .filter((image) => image.view === view)
      .forEach((image, repeat) =>
        cells.push({
          key: repeat ? `${label}#${repeat + 1}` : label,
          label,
          name: label,
          laterality: side,
          view,
          image,
          align: alignmentFor(side),
        }),
      );
  }
  return { rows: 1, columns: cells.length, cells: tellApart(cells) };
}

/**
 * Whether an image must be mirrored for the standard display of its laterality. `rowDirection` is
 * PatientOrientation's first value (DICOM PS3.3 C.7.6.1.1.1, the direction of increasing column):
 * "A" means the chest wall is on the image's left, "P" on its right. Without it (mini-MIAS,
 * stripped headers) `tissueSide`, where the pixel data's breast base lies, decides. Unknown: no flip.
 */
export function needsHorizontalFlip(
  laterality: 'R' | 'L' | null,
  rowDirection: string | null | undefined,
  tissueSide: 'left' | 'right' | null = null,
): boolean {
  if (!laterality) return false;
  const direction = (rowDirection ?? '').toUpperCase();
  const chestWall = direction.includes('A') ? 'left' : direction.includes('P') ? 'right' : tissueSide;
  if (!chestWall) return false;
  return chestWall !== alignmentFor(laterality);
}

/** Letters at a viewport's edges: the patient direction toward each edge as displayed. */
export interface OrientationLabels {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

const OPPOSITE: Record<string, string> = { A: 'P', P: 'A', R: 'L', L: 'R', H: 'F', F: 'H' };

function opposite(direction: string): string {
  return [...direction].map((letter) => OPPOSITE[letter] ?? letter).join('');
}

/**
 * The orientation labels of a displayed image, as OHIF and Weasis print them: the right edge
 * shows the row direction, the left its opposite; the bottom the column direction, the top its
 * opposite; a horizontal flip swaps left and right. Without PatientOrientation the image is shown
 * in its laterality's standard display, so that stands in: `P\L` RCC, `A\R` LCC, `P\F` and `A\F`
 * for the other views. Null when nothing is known.
 */
export function orientationLabels(
  laterality: 'R' | 'L' | null,
  view: string | null,
  patientOrientation: readonly string[],
  flip: boolean,
): OrientationLabels | null {
  let [rows, columns] = patientOrientation.map((value) => value.trim().toUpperCase());
  if (!rows || !columns) {
    if (!laterality) return null;
    rows = laterality === 'R' ? 'P' : 'A';
    columns = view?.includes('CC') ? (laterality === 'R' ? 'L' : 'R') : 'F';
    flip = false; // the standard display is what is shown
  }
  const right = flip ? opposite(rows) : rows;
  return { left: opposite(right), right, top: opposite(columns), bottom: columns };
}
