import { describe, expect, it } from 'vitest';
import { findBreast } from '../../main/inference/breastRegion.js';
import { blendWindow, planTiles } from '../../main/inference/tiling.js';
import { cropRaster, resizeBilinear } from '../../main/imaging/resample.js';

describe('planTiles', () => {
  it('runs a small image whole, padded to a multiple of 32', () => {
    expect(planTiles(300, 250, 512, 64)).toEqual({
      tileSize: 320,
      tiles: [{ top: 0, left: 0 }],
      paddedRows: 320,
      paddedColumns: 320,
    });
  });

  it('covers a large image with overlapping tiles that reach every edge', () => {
    const plan = planTiles(1400, 1100, 512, 64);
    const tops = [...new Set(plan.tiles.map((t) => t.top))];
    const lefts = [...new Set(plan.tiles.map((t) => t.left))];
    expect(tops[0]).toBe(0);
    expect(tops.at(-1)! + 512).toBe(1400);
    expect(lefts.at(-1)! + 512).toBe(1100);
    for (let i = 1; i < tops.length; i++) expect(tops[i - 1]! + 512 - tops[i]!).toBeGreaterThanOrEqual(64);
    expect(plan.tiles).toHaveLength(tops.length * lefts.length);
  });
});

describe('blendWindow', () => {
  it('is largest in the middle and small but positive at the edges', () => {
    const w = blendWindow(64);
    expect(w[32 * 64 + 32]).toBe(1);
    expect(w[0]).toBeGreaterThan(0);
    expect(w[0]).toBeLessThan(0.01);
  });
});

describe('resizeBilinear', () => {
  it('keeps a constant image constant and interpolates a ramp', () => {
    expect([...resizeBilinear(new Uint8Array(16).fill(7), 4, 4, 3, 5)]).toEqual(new Array(15).fill(7));
    const ramp = new Float32Array([0, 1, 2, 3]);
    const up = resizeBilinear(ramp, 1, 4, 1, 8);
    expect(up[0]).toBeCloseTo(0);
    expect(up[3]).toBeCloseTo(1.25);
    expect(up[7]).toBeCloseTo(3);
  });

  it('crops a rectangle', () => {
    const src = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect([...cropRaster(src, 4, { top: 1, left: 2, rows: 2, columns: 2 })]).toEqual([6, 7, 10, 11]);
  });
});

describe('findBreast region', () => {
  it('boxes the largest bright area and ignores a small label', () => {
    const rows = 400;
    const columns = 300;
    const image = new Uint8Array(rows * columns);
    for (let r = 50; r < 350; r++) for (let c = 0; c < 150; c++) image[r * columns + c] = 120; // breast
    for (let r = 10; r < 30; r++) for (let c = 250; c < 290; c++) image[r * columns + c] = 250; // film label
    const region = findBreast(image, rows, columns).region;
    expect(region.left).toBe(0);
    expect(region.top).toBeLessThanOrEqual(50);
    expect(region.top).toBeGreaterThan(25);
    expect(region.left + region.columns).toBeGreaterThanOrEqual(150);
    expect(region.left + region.columns).toBeLessThan(250);
  });

  it('returns the whole image when it is all background', () => {
    expect(findBreast(new Uint8Array(100), 10, 10).region).toEqual({
      top: 0,
      left: 0,
      rows: 10,
      columns: 10,
    });
  });
});
