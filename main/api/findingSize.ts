import type { FindingExtent } from './annotations.js';

/**
 * A finding's size as a report states it: the longer side of its extent in mm, to 0.1 mm; null
 * without pixel spacing. Shared by the editor's list and the report, so both say the same.
 *
 * @example extentSizeMm({ top: 10, left: 20, bottom: 60, right: 45 }, [0.2, 0.2]) // 10
 */
export function extentSizeMm(
  extent: FindingExtent,
  pixelSpacingMm: readonly [number, number] | null,
): number | null {
  if (!pixelSpacingMm) return null;
  const [rowSpacing, columnSpacing] = pixelSpacingMm;
  const mm = Math.max(
    (extent.bottom - extent.top) * rowSpacing,
    (extent.right - extent.left) * columnSpacing,
  );
  return Math.round(mm * 10) / 10;
}
