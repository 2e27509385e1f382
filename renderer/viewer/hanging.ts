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
  /** What the reader sees in the corner: laterality and view. */
  label: string;
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

function lateralityOf(image: Image): 'R' | 'L' | null {
  return image.laterality === 'R' || image.laterality === 'L' ? image.laterality : null;
}

/** Right breasts against the left edge, left breasts against the right: chest walls back to back. */
export function alignmentFor(laterality: 'R' | 'L' | null): HangingAlignment {
  if (laterality === 'R') return 'left';
  if (laterality === 'L') return 'right';
  return 'center';
}

/**
 * Lays out a study's displayable images: columns R then L (only those present), one row per view
 * (CC above MLO), a further row for each repeated view. Four standard views give the 2x2 of
 * RCC LCC / RMLO LMLO; a mini-MIAS pair gives RMLO | LMLO; a lone image fills the screen.
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
          laterality: side,
          view,
          image: perSide[column]?.[repeat] ?? null,
          align: alignmentFor(side),
        });
      });
    }
  }
  const columns = Math.max(1, sides.length);
  return { rows: Math.max(1, cells.length / columns), columns, cells };
}

/**
 * Whether an image must be mirrored so its chest wall lands on the side its laterality needs.
 * `rowDirection` is PatientOrientation's first value (the direction of increasing column): "A"
 * means the chest wall is on the image's left, "P" on its right. Unknown orientation: no flip.
 */
export function needsHorizontalFlip(
  laterality: 'R' | 'L' | null,
  rowDirection: string | null | undefined,
): boolean {
  if (!laterality || !rowDirection) return false;
  const direction = rowDirection.toUpperCase();
  const chestWall = direction.includes('A') ? 'left' : direction.includes('P') ? 'right' : null;
  if (!chestWall) return false;
  return chestWall !== alignmentFor(laterality);
}
