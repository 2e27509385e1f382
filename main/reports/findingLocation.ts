/**
 * Where a finding lies in the breast, estimated from a single view.
 *
 * The approximation, stated once:
 * - The breast is its mask (findBreast). The chest wall is the mask's straight base, on the side
 *   where the breast is widest, and the nipple the breast's farthest point from it: the middle of
 *   the rows where the breast reaches farthest.
 *   The nipple axis is the horizontal line through that point, perpendicular to the chest wall.
 *   On MLO views the pectoral muscle is oblique, so depth there is approximate.
 * - Depth is the distance from the nipple along the axis in thirds of the breast's depth
 *   (anterior, middle, posterior).
 * - One view shows one of the two axes around the nipple: a CC view medial/lateral, an MLO/ML/LM
 *   view superior/inferior. Which way the image runs downward is the second value of the image's
 *   PatientOrientation when it has one (on a CC view, the breast's own side, R for the right
 *   breast, runs medial to lateral; H runs toward the head); without it, rows run lateral to
 *   medial on a CC view (the usual hanging, the PatientOrientation this workstation writes for
 *   research images, and the side where most CBIS-DDSM CC films carry their lead marker, which
 *   goes at the axilla) and toward the feet on the others. So the region is a half (outer/inner or
 *   upper/lower) and the clock position the one hour on that axis (3, 6, 9 or 12, ACR BI-RADS,
 *   facing the patient: lateral right is 9 o'clock, lateral left 3 o'clock). Within 15% of the
 *   half-height of the axis the finding is central (retroareolar in the anterior third).
 *   A full quadrant and an exact clock hour need the finding matched in both views.
 */
import type { FindingDepth, FindingRegion } from '../api/reports.js';
import { findBreast, type BreastMask } from '../inference/breastRegion.js';

export interface BreastGeometry {
  chestWall: 'left' | 'right';
  /** Column of the chest wall: the breast's base (the image edge on most views). */
  chestWallColumn: number;
  nippleRow: number;
  nippleColumn: number;
  /** Rows where the breast starts and ends. */
  top: number;
  bottom: number;
}

export interface FindingLocation {
  clock: number | null;
  region: FindingRegion | null;
  depth: FindingDepth | null;
}

/** Fraction of the half-height around the nipple axis counted as central. */
export const CENTRAL_BAND = 0.15;

/**
 * Estimates the chest wall side and the nipple from an 8-bit display image (background dark), from
 * the breast's own mask (findBreast): film borders, labels and markers are not breast, so they
 * cannot pull the nipple toward them.
 *
 * @example
 * const geometry = estimateBreastGeometry(decoded.display, image.rows, image.columns);
 * const where = locateFinding(geometry, { row: 320, column: 230 }, 'R', 'CC');
 */
export function estimateBreastGeometry(display: Uint8Array, rows: number, columns: number): BreastGeometry {
  return breastGeometry(findBreast(display, rows, columns).mask);
}

/** Rows reaching this close to the farthest reach (share of the breast's depth) hold the nipple. */
const NIPPLE_TOLERANCE = 0.02;

/**
 * The geometry of a breast mask. The chest wall is the side of the mask's bounding box whose
 * third holds more of the breast (the breast is widest at its base, wherever the film puts it);
 * the nipple is the middle of the rows that reach farthest from it.
 */
export function breastGeometry(mask: BreastMask): BreastGeometry {
  const { rows, columns, pixels } = mask;
  let left = columns;
  let right = -1;
  for (let i = 0; i < pixels.length; i++) {
    if (!pixels[i]) continue;
    const c = i % columns;
    if (c < left) left = c;
    if (c > right) right = c;
  }
  if (right < 0) {
    return {
      chestWall: 'left',
      chestWallColumn: 0,
      nippleRow: rows / 2,
      nippleColumn: columns / 2,
      top: 0,
      bottom: rows - 1,
    };
  }
  const third = (right - left + 1) / 3;
  let nearLeft = 0;
  let nearRight = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (!pixels[i]) continue;
    const c = i % columns;
    if (c < left + third) nearLeft++;
    else if (c > right - third) nearRight++;
  }
  const chestWall = nearLeft >= nearRight ? 'left' : 'right';
  const chestWallColumn = chestWall === 'left' ? left : right;
  // Per row: how far the breast reaches from the chest wall.
  const reach = new Int32Array(rows).fill(-1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (pixels[r * columns + c]) reach[r] = Math.max(reach[r]!, Math.abs(c - chestWallColumn));
    }
  }
  const depth = Math.max(...reach);
  const far: number[] = [];
  const inBreast: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (reach[r]! >= depth * (1 - NIPPLE_TOLERANCE)) far.push(r);
    if (reach[r]! > depth * 0.05) inBreast.push(r);
  }
  return {
    chestWall,
    chestWallColumn,
    nippleRow: far[Math.floor(far.length / 2)]!,
    nippleColumn: chestWall === 'left' ? chestWallColumn + depth : chestWallColumn - depth,
    top: inBreast[0] ?? 0,
    bottom: inBreast.at(-1) ?? rows - 1,
  };
}

/**
 * Clock position, region and depth of a point, from one view (see the module comment).
 * `columnDirection` is the image's PatientOrientation second value (DICOM's column direction: the
 * patient direction the image runs in as its row index grows, down the image), if known.
 */
export function locateFinding(
  geometry: BreastGeometry,
  point: { row: number; column: number },
  laterality: 'L' | 'R' | 'B' | null,
  view: string | null,
  columnDirection: string | null = null,
): FindingLocation {
  const depthSpan = Math.abs(geometry.nippleColumn - geometry.chestWallColumn);
  const fromNipple = depthSpan > 0 ? Math.abs(point.column - geometry.nippleColumn) / depthSpan : 0;
  const depth: FindingDepth = fromNipple < 1 / 3 ? 'anterior' : fromNipple < 2 / 3 ? 'middle' : 'posterior';
  const offset = point.row - geometry.nippleRow;
  const half = offset < 0 ? geometry.nippleRow - geometry.top : geometry.bottom - geometry.nippleRow;
  const u = half > 0 ? offset / half : 0;
  if (Math.abs(u) < CENTRAL_BAND) {
    return { clock: null, region: depth === 'anterior' ? 'retroareolar' : 'central', depth };
  }
  const kind = viewAxis(view);
  const direction = (columnDirection ?? '').toUpperCase();
  if (kind === 'cc') {
    // Rows run toward the breast's own side (lateral) only when the orientation says so.
    const towardLateral = (laterality === 'L' || laterality === 'R') && direction.includes(laterality);
    const outer = towardLateral ? u > 0 : u < 0;
    if (laterality !== 'L' && laterality !== 'R')
      return { clock: null, region: outer ? 'outer' : 'inner', depth };
    const lateralHour = laterality === 'R' ? 9 : 3;
    return { clock: outer ? lateralHour : 12 - lateralHour, region: outer ? 'outer' : 'inner', depth };
  }
  if (kind === 'lateral') {
    const upper = direction.includes('H') ? u > 0 : u < 0;
    return { clock: upper ? 12 : 6, region: upper ? 'upper' : 'lower', depth };
  }
  return { clock: null, region: null, depth };
}

function viewAxis(view: string | null): 'cc' | 'lateral' | null {
  const v = (view ?? '').toUpperCase();
  if (v.includes('CC')) return 'cc';
  if (v === 'MLO' || v === 'ML' || v === 'LM' || v === 'LMO' || v === 'SIO' || v === 'ISO') return 'lateral';
  return null;
}
