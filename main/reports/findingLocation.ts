/**
 * Where a finding lies in the breast, estimated from a single view.
 *
 * The approximation, stated once:
 * - The chest wall is taken to be the image edge on the brighter side (the breast's base), and
 *   the nipple the breast's farthest point from it: the row where the breast reaches farthest.
 *   The nipple axis is the horizontal line through that point, perpendicular to the chest wall.
 *   On MLO views the pectoral muscle is oblique, so depth there is approximate.
 * - Depth is the distance from the nipple along the axis in thirds of the breast's depth
 *   (anterior, middle, posterior).
 * - One view shows one of the two axes around the nipple: a CC view medial/lateral (image rows run
 *   lateral to medial, the usual hanging of CC views and the PatientOrientation this workstation
 *   writes), an MLO/ML/LM view superior/inferior (rows run toward the feet). So the region is a
 *   half (outer/inner or upper/lower) and the clock position the one hour on that axis (3, 6, 9 or
 *   12, facing the patient: lateral right is 9 o'clock, lateral left 3 o'clock). Within 15% of
 *   the half-height of the axis the finding is central (retroareolar in the anterior third).
 *   A full quadrant and an exact clock hour need the finding matched in both views.
 */
import type { FindingDepth, FindingRegion } from '../api/reports.js';

export interface BreastGeometry {
  chestWall: 'left' | 'right';
  /** Column of the chest wall edge (0 or columns - 1). */
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
 * Estimates the chest wall side and the nipple from an 8-bit display image (background dark).
 *
 * @example
 * const geometry = estimateBreastGeometry(decoded.display, image.rows, image.columns);
 * const where = locateFinding(geometry, { row: 320, column: 230 }, 'R', 'CC');
 */
export function estimateBreastGeometry(
  display: Uint8Array,
  rows: number,
  columns: number,
  threshold = 20,
): BreastGeometry {
  const step = Math.max(1, Math.floor(Math.min(rows, columns) / 256));
  const third = Math.max(1, Math.floor(columns / 3));
  let left = 0;
  let right = 0;
  for (let r = 0; r < rows; r += step) {
    for (let c = 0; c < third; c += step) {
      left += display[r * columns + c]!;
      right += display[r * columns + columns - 1 - c]!;
    }
  }
  const chestWall = left >= right ? 'left' : 'right';
  const chestWallColumn = chestWall === 'left' ? 0 : columns - 1;
  // Per sampled row: how far the breast reaches from the chest wall (last foreground column).
  const reach: { row: number; extent: number }[] = [];
  for (let r = 0; r < rows; r += step) {
    let extent = 0;
    for (let k = 0; k < columns; k += step) {
      const c = chestWall === 'left' ? k : columns - 1 - k;
      if (display[r * columns + c]! > threshold) extent = k;
    }
    reach.push({ row: r, extent });
  }
  const maxExtent = Math.max(0, ...reach.map((x) => x.extent));
  if (maxExtent === 0) {
    return {
      chestWall,
      chestWallColumn,
      nippleRow: rows / 2,
      nippleColumn: columns / 2,
      top: 0,
      bottom: rows - 1,
    };
  }
  const far = reach.filter((x) => x.extent >= maxExtent * 0.98).map((x) => x.row);
  const nippleRow = far[Math.floor(far.length / 2)]!;
  const inBreast = reach.filter((x) => x.extent > maxExtent * 0.05).map((x) => x.row);
  return {
    chestWall,
    chestWallColumn,
    nippleRow,
    nippleColumn: chestWall === 'left' ? maxExtent : columns - 1 - maxExtent,
    top: inBreast[0] ?? 0,
    bottom: inBreast.at(-1) ?? rows - 1,
  };
}

/** Clock position, region and depth of a point, from one view (see the module comment). */
export function locateFinding(
  geometry: BreastGeometry,
  point: { row: number; column: number },
  laterality: 'L' | 'R' | 'B' | null,
  view: string | null,
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
  if (kind === 'cc') {
    const outer = u < 0;
    if (laterality !== 'L' && laterality !== 'R')
      return { clock: null, region: outer ? 'outer' : 'inner', depth };
    const lateralHour = laterality === 'R' ? 9 : 3;
    return { clock: outer ? lateralHour : 12 - lateralHour, region: outer ? 'outer' : 'inner', depth };
  }
  if (kind === 'lateral') return { clock: u < 0 ? 12 : 6, region: u < 0 ? 'upper' : 'lower', depth };
  return { clock: null, region: null, depth };
}

function viewAxis(view: string | null): 'cc' | 'lateral' | null {
  const v = (view ?? '').toUpperCase();
  if (v.includes('CC')) return 'cc';
  if (v === 'MLO' || v === 'ML' || v === 'LM' || v === 'LMO' || v === 'SIO' || v === 'ISO') return 'lateral';
  return null;
}
