import { describe, expect, it } from 'vitest';
import {
  effectiveSpacing,
  predictProbabilityMap,
  type TileRunner,
} from '../../main/inference/predictProbabilityMap.js';

/** A stand-in network whose answer is known: probability = normalised input mapped back to 0..1. */
const identityRunner: TileRunner = async (tiles) =>
  tiles.map((x) => Math.min(1, Math.max(0, x * 255 + 127) / 255));

function phantom(rows: number, columns: number): Uint8Array {
  const image = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      // A "breast" on the left two thirds with a smooth gradient; background elsewhere.
      if (c < (columns * 2) / 3) image[r * columns + c] = 60 + Math.round((150 * r) / rows);
    }
  }
  return image;
}

describe('predictProbabilityMap', () => {
  const options = {
    modelSpacingMm: 0.4,
    normalisation: { offset: 127, scale: 255 },
    tileSize: 128,
    overlap: 32,
  };

  it('tiles, blends without seams and maps back to the original pixels', async () => {
    const rows = 700;
    const columns = 500;
    const image = phantom(rows, columns);
    const progress: number[] = [];
    const result = await predictProbabilityMap(image, rows, columns, 0.2, identityRunner, {
      ...options,
      onProgress: (d) => progress.push(d),
    });
    expect(result.tiles).toBeGreaterThan(4);
    expect(progress.at(-1)).toBe(result.tiles);
    // Inside the breast, the blended map reproduces the image (within resampling error).
    let maxError = 0;
    for (let r = 20; r < rows - 20; r++) {
      for (let c = 10; c < columns / 2; c++)
        maxError = Math.max(
          maxError,
          Math.abs(result.probability[r * columns + c]! - image[r * columns + c]! / 255),
        );
    }
    expect(maxError).toBeLessThan(0.02);
    // Background outside the breast region stays exactly zero.
    expect(result.probability[rows * columns - 1]).toBe(0);
    expect(result.region.left + result.region.columns).toBeLessThan(columns);
  });

  it("finds nothing on a burned-in marker inside the breast's bounding box", async () => {
    // A half-disc breast against the left edge, and a bright marker island in the box's empty
    // top-right corner (as on the WG04 film): the map must be 0 on the marker, not only outside the box.
    const rows = 400;
    const columns = 300;
    const image = new Uint8Array(rows * columns);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        if ((r - 200) ** 2 + c ** 2 < 190 ** 2) image[r * columns + c] = 120;
        if (r >= 20 && r < 50 && c >= 150 && c < 185) image[r * columns + c] = 250;
      }
    }
    const allAbnormal: TileRunner = async (tiles) => new Float32Array(tiles.length).fill(1);
    const result = await predictProbabilityMap(image, rows, columns, 0.2, allAbnormal, options);
    expect(result.region.left + result.region.columns).toBeGreaterThan(185);
    expect(result.region.top).toBeLessThanOrEqual(20);
    for (let r = 20; r < 50; r++)
      for (let c = 150; c < 185; c++) expect(result.probability[r * columns + c]).toBe(0);
    expect(result.probability[200 * columns + 100]).toBe(1);
  });

  it('runs a small image as one padded tile and honours cancellation', async () => {
    const image = phantom(100, 90);
    const result = await predictProbabilityMap(image, 100, 90, 0.4, identityRunner, options);
    expect(result.tiles).toBe(1);
    const controller = new AbortController();
    controller.abort();
    await expect(
      predictProbabilityMap(image, 100, 90, 0.4, identityRunner, { ...options, signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
  });

  it('assumes a 24 cm image height when the spacing is unknown', () => {
    expect(effectiveSpacing(null, 4800)).toEqual({ mm: 0.05, assumed: true });
    expect(effectiveSpacing([0.1, 0.1], 4800)).toEqual({ mm: 0.1, assumed: false });
  });
});
