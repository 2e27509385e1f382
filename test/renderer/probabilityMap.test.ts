import { describe, expect, it } from 'vitest';
import {
  colourise,
  colourBarGradient,
  heatmapAlpha,
  heatmapLut,
  turbo,
} from '../../renderer/ai/colourMap.js';
import {
  affineFromCorners,
  applyAffine,
  boundsOnCanvas,
  scaleAffine,
} from '../../renderer/ai/mapGeometry.js';
import {
  type ProbabilityMap,
  areaAtLevel,
  findRegions,
  levelHistogram,
  levelRange,
  maxPoolGrid,
  outlineSegments,
  thresholdLevel,
} from '../../renderer/ai/probabilityMap.js';

/** A map from rows of levels. */
function mapOf(rows: number[][]): ProbabilityMap {
  return { columns: rows[0]!.length, rows: rows.length, data: Uint8Array.from(rows.flat()) };
}

/** Total length of the outline's segments. */
function perimeter(segments: Float32Array): number {
  let length = 0;
  for (let i = 0; i < segments.length; i += 4)
    length += Math.hypot(segments[i + 2]! - segments[i]!, segments[i + 3]! - segments[i + 1]!);
  return length;
}

describe('thresholds and areas', () => {
  it('outlines the levels whose probability is at least the threshold', () => {
    expect(thresholdLevel(0.5)).toBe(128); // 127/255 < 0.5 <= 128/255
    expect(thresholdLevel(30 / 255)).toBe(30);
    expect(thresholdLevel(0.12)).toBe(31);
    expect(thresholdLevel(0)).toBe(1); // background (level 0) is never outlined
    expect(thresholdLevel(1)).toBe(255);
  });

  it('counts the outlined area from the histogram, never growing with the threshold', () => {
    const map = mapOf([
      [0, 10, 20],
      [30, 30, 255],
    ]);
    const histogram = levelHistogram(map);
    expect(levelRange(histogram)).toEqual({ minNonZero: 10, max: 255, nonZero: 5 });
    expect([1, 10, 11, 30, 31, 255].map((level) => areaAtLevel(histogram, level))).toEqual([
      5, 5, 4, 3, 1, 1,
    ]);
    let previous = Infinity;
    for (let t = 0.01; t < 1; t += 0.01) {
      const area = areaAtLevel(histogram, thresholdLevel(t));
      expect(area).toBeLessThanOrEqual(previous);
      previous = area;
    }
  });
});

describe('working grid and outline', () => {
  it('max-pools large maps so a one-pixel hot spot survives', () => {
    const data = new Uint8Array(10 * 7);
    data[6 * 10 + 9] = 200;
    const grid = maxPoolGrid({ columns: 10, rows: 7, data }, 4);
    expect(grid).toMatchObject({ columns: 4, rows: 3, factor: 3 });
    expect(grid.data[2 * 4 + 3]).toBe(200);
    expect(maxPoolGrid({ columns: 4, rows: 4, data: new Uint8Array(16) }, 4).factor).toBe(1);
  });

  it('outlines a block with four merged edges and a ring with both boundaries', () => {
    const block = mapOf([
      [0, 0, 0, 0],
      [0, 9, 9, 0],
      [0, 9, 9, 0],
      [0, 0, 0, 0],
    ]);
    const segments = outlineSegments(maxPoolGrid(block, 64), 5);
    expect(segments.length / 4).toBe(4);
    expect(perimeter(segments)).toBe(8);
    expect(outlineSegments(maxPoolGrid(block, 64), 10)).toHaveLength(0);

    const ring = mapOf([
      [9, 9, 9],
      [9, 0, 9],
      [9, 9, 9],
    ]);
    expect(perimeter(outlineSegments(maxPoolGrid(ring, 64), 5))).toBe(12 + 4); // outer border + hole
  });
});

describe('findRegions', () => {
  it('labels 8-connected regions and measures them on the full map, strongest first', () => {
    const map = mapOf([
      [100, 0, 0, 0, 0],
      [0, 120, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 250, 250],
    ]);
    const grid = maxPoolGrid(map, 64);
    const regions = findRegions(map, grid, thresholdLevel(0.3), [0.5, 0.5]);
    expect(regions).toHaveLength(2);
    expect(regions[0]).toMatchObject({
      index: 1,
      areaPixels: 2,
      areaMm2: 0.5,
      centroidRow: 3,
      centroidColumn: 3.5,
      bounds: { top: 3, left: 3, bottom: 3, right: 4 },
      maxProbability: 250 / 255,
    });
    expect(regions[1]).toMatchObject({ index: 2, areaPixels: 2, meanProbability: 110 / 255 }); // diagonal pair
    expect(findRegions(map, grid, thresholdLevel(0.3), null, 3)).toHaveLength(0);
    expect(findRegions(map, grid, 1, null)[0]!.areaMm2).toBeNull();
  });

  it('gives the same regions from a pooled grid, with exact areas', () => {
    const data = new Uint8Array(40 * 40);
    for (let y = 10; y < 20; y++) for (let x = 5; x < 12; x++) data[y * 40 + x] = 180;
    const map = { columns: 40, rows: 40, data };
    const [region] = findRegions(map, maxPoolGrid(map, 8), 100, null);
    expect(region).toMatchObject({ areaPixels: 70, bounds: { top: 10, left: 5, bottom: 19, right: 11 } });
  });
});

describe('colours and geometry', () => {
  it('colours probabilities with Turbo and fades the low ones out', () => {
    expect(turbo(0)).toEqual([35, 23, 27]);
    const [r, , b] = turbo(1);
    expect(r).toBeGreaterThan(b);
    expect(heatmapAlpha(0.01)).toBe(0);
    expect(heatmapAlpha(0.5)).toBeGreaterThan(heatmapAlpha(0.1));
    const lut = heatmapLut();
    const pixels = colourise(Uint8Array.from([0, 255]), lut);
    expect(pixels[3]).toBe(0);
    expect([...pixels.slice(4, 8)]).toEqual([...lut.slice(255 * 4, 256 * 4)]);
    expect(colourBarGradient(2)).toMatch(/^linear-gradient\(to right, rgb\(/);
  });

  it('shows nothing of the heatmap under the display threshold, and the rest as before', () => {
    // The shipped card: operating point 0.7241 (map level 185); level 34 (0.13) was drawn before.
    const floored = heatmapLut(185);
    const plain = heatmapLut();
    expect(floored[34 * 4 + 3]).toBe(0);
    expect(plain[34 * 4 + 3]).toBeGreaterThan(0);
    expect(floored[184 * 4 + 3]).toBe(0);
    expect([...floored.slice(185 * 4)]).toEqual([...plain.slice(185 * 4)]);
  });

  it('maps map pixels to the canvas through three projected corners (zoom, pan, flip)', () => {
    // A 100x50 map shown mirrored (flipped horizontally) at 2x, its top-left corner at canvas (300, 20).
    const t = affineFromCorners([300, 20], [100, 20], [300, 120], 100, 50);
    expect(applyAffine(t, 0, 0)).toEqual([300, 20]);
    expect(applyAffine(t, 50, 25)).toEqual([200, 70]);
    expect(applyAffine(scaleAffine(t, 4, 4, 2), 25, 0)).toEqual([200, 40]);
    expect(boundsOnCanvas(t, { top: 0, left: 0, bottom: 49, right: 99 })).toEqual({
      left: 100,
      top: 20,
      right: 300,
      bottom: 120,
    });
  });
});
