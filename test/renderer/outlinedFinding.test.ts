import { describe, expect, it } from 'vitest';
import { extentSizeMm } from '../../main/api/findingSize.js';
import { outlinedFinding } from '../../renderer/editing/outlinedFinding.js';

/** A freehand stroke around a circle: `points` vertices on it, starting at an arbitrary angle. */
function circleStroke(
  centre: [number, number],
  radiusPx: number,
  points: number,
  start = 0.37,
): [number, number][] {
  return Array.from({ length: points }, (_, i) => {
    const angle = start + (2 * Math.PI * i) / points;
    return [centre[0] + radiusPx * Math.cos(angle), centre[1] + radiusPx * Math.sin(angle)];
  });
}

describe('a reader-added finding measured from its outline', () => {
  it('a circle of radius r mm gives a diameter of 2r within a pixel, centred on the circle', () => {
    for (const { spacing, radiusMm } of [
      { spacing: 0.07, radiusMm: 6 }, // a digital mammogram's pixels
      { spacing: 0.2, radiusMm: 3.5 }, // mini-MIAS
    ]) {
      const radiusPx = radiusMm / spacing;
      const outlined = outlinedFinding(circleStroke([812.4, 1033.6], radiusPx, 72));
      expect(outlined).not.toBeNull();
      const size = extentSizeMm(outlined!.extent, [spacing, spacing]);
      expect(Math.abs(size! - 2 * radiusMm)).toBeLessThanOrEqual(spacing);
      expect(outlined!.centroidColumn).toBeCloseTo(812.4, 0);
      expect(outlined!.centroidRow).toBeCloseTo(1033.6, 0);
    }
  });

  it('takes the longer side in mm when the pixels are not square, and has no size without spacing', () => {
    // A 40 x 20 px box traced clockwise: 40 columns of 0.1 mm (4 mm), 20 rows of 0.25 mm (5 mm).
    const box = outlinedFinding([
      [10, 10],
      [50, 10],
      [50, 30],
      [10, 30],
    ]);
    expect(box).toEqual({
      centroidColumn: 30,
      centroidRow: 20,
      extent: { top: 10, left: 10, bottom: 30, right: 50 },
    });
    expect(extentSizeMm(box!.extent, [0.25, 0.1])).toBe(5);
    expect(extentSizeMm(box!.extent, null)).toBeNull();
  });

  it('a click (fewer than three points) is not an outline; a stroke off the image is clamped to it', () => {
    expect(outlinedFinding([[3, 4]])).toBeNull();
    const edge = outlinedFinding([
      [-4, -2],
      [6, -2],
      [6, 8],
    ]);
    expect(edge?.extent).toEqual({ top: 0, left: 0, bottom: 8, right: 6 });
  });
});
