import { describe, expect, it } from 'vitest';
import type { GroundTruthFinding } from '../../main/api/domain.js';
import { fillEllipse, groundTruthMask } from '../../main/annotations/groundTruthMask.js';

const finding = (extra: Partial<GroundTruthFinding>): GroundTruthFinding => ({
  id: 1,
  imageId: 1,
  abnormalityClass: 'MASS',
  severity: 'M',
  circle: null,
  source: 'test',
  ...extra,
});

const count = (mask: Uint8Array) => mask.reduce((n, v) => n + (v ? 1 : 0), 0);

describe('ground-truth masks', () => {
  it("a box's label is its inscribed ellipse: area pi*a*b, inside the box, corners out", () => {
    const rows = 200;
    const columns = 300;
    const mask = new Uint8Array(rows * columns);
    const box = { left: 40.3, top: 30.7, width: 120, height: 80 };
    fillEllipse(mask, rows, columns, box);
    // Pixel-centre sampling of an ellipse of semi-axes 60 and 40: the area within a perimeter's worth.
    expect(Math.abs(count(mask) - Math.PI * 60 * 40)).toBeLessThan(2 * Math.PI * 50);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < columns; c++) {
        if (!mask[r * columns + c]) continue;
        const [x, y] = [c + 0.5, r + 0.5];
        expect(x >= box.left && x <= box.left + box.width && y >= box.top && y <= box.top + box.height).toBe(
          true,
        );
        // Every set pixel's centre satisfies the ellipse equation.
        expect(((x - 100.3) / 60) ** 2 + ((y - 70.7) / 40) ** 2).toBeLessThanOrEqual(1 + 1e-9);
      }
    const at = (x: number, y: number) => mask[Math.floor(y) * columns + Math.floor(x)];
    expect(at(100.3, 70.7)).toBe(255); // centre
    expect(at(42, 32)).toBe(0); // just inside the box's top-left corner, outside the ellipse
    expect(at(158, 108)).toBe(0); // bottom-right corner
  });

  it('an ellipse clipped by the image edge sets only pixels inside the image', () => {
    const mask = new Uint8Array(10 * 10);
    fillEllipse(mask, 10, 10, { left: -5, top: -5, width: 10, height: 10 });
    expect(count(mask)).toBeGreaterThan(15);
    expect(count(mask)).toBeLessThan(25); // a quarter of pi*25 = 19.6
  });

  it('an outline wins over its box, a box over its circle, and a finding with none gives no mask', () => {
    const outline = new Uint8Array(16).fill(0);
    outline[5] = 1;
    const read = (path: string) => {
      expect(path).toBe('masks/a.png');
      return outline;
    };
    const box = { left: 0, top: 0, width: 4, height: 4 };
    const circle = { centerColumn: 2, centerRow: 2, radius: 10 };
    const fromOutline = groundTruthMask(4, 4, [finding({ outlinePath: 'masks/a.png', box, circle })], read)!;
    expect([...fromOutline].map((v) => (v ? 1 : 0))).toEqual([
      0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const fromBox = groundTruthMask(4, 4, [finding({ box, circle })], read)!;
    expect(count(fromBox)).toBeLessThan(16); // the circle (radius 10) would cover all 16
    expect(count(groundTruthMask(4, 4, [finding({ circle })], read)!)).toBe(16);
    expect(groundTruthMask(4, 4, [finding({})], read)).toBeNull();
  });
});
