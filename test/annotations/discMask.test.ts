import { describe, expect, it } from 'vitest';
import { discMask } from '../../main/annotations/discMask.js';

describe('discMask', () => {
  it('fills the pixels whose centres lie within the radius', () => {
    const mask = discMask(9, 9, [{ centerColumn: 4, centerRow: 4, radius: 2 }]);
    const inside = [...mask].filter((v) => v === 255).length;
    // Lattice points within radius 2 of a lattice point: 13.
    expect(inside).toBe(13);
    expect(mask[4 * 9 + 4]).toBe(255);
    expect(mask[4 * 9 + 6]).toBe(255);
    expect(mask[4 * 9 + 7]).toBe(0);
    expect(mask[3 * 9 + 6]).toBe(0);
  });

  it('approximates pi r^2 and clips at the border', () => {
    const mask = discMask(1024, 1024, [{ centerColumn: 500, centerRow: 500, radius: 100 }]);
    const area = mask.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(Math.abs(area - Math.PI * 100 * 100) / (Math.PI * 100 * 100)).toBeLessThan(0.01);
    const clipped = discMask(10, 10, [{ centerColumn: 0, centerRow: 0, radius: 3 }]);
    expect(clipped.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(11);
  });
});
