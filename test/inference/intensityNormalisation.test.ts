import { describe, expect, it } from 'vitest';
import { findBreast } from '../../main/inference/breastRegion.js';
import { breastIntensity, normalisationFor } from '../../main/inference/intensityNormalisation.js';
import { predictProbabilityMap, type TileRunner } from '../../main/inference/predictProbabilityMap.js';
import { CROP_DEFAULTS, prepareSample, sampleCrop } from '../../main/training/batchSampler.js';

const PER_IMAGE = { offset: 127, scale: 255, perImage: 'breast' as const };

/** A breast (left two thirds, textured) on black film; `gain` and `bias` change its exposure. */
function film(rows: number, columns: number, gain: number, bias: number): Uint8Array {
  const image = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < (columns * 2) / 3; c++) {
      const tissue = 40 + 2 * (((r * 7 + c * 3) % 23) + Math.round((40 * r) / rows));
      image[r * columns + c] = gain * tissue + bias;
    }
  }
  return image;
}

/** Runs the whole-scan prediction and keeps the network's first input tile. */
async function firstInputTile(image: Uint8Array, rows: number, columns: number) {
  let input: Float32Array | undefined;
  const capture: TileRunner = async (tiles, count, size) => {
    input ??= tiles.slice(0, size * size);
    return new Float32Array(count * size * size);
  };
  const result = await predictProbabilityMap(image, rows, columns, 0.2, capture, {
    modelSpacingMm: 0.2,
    normalisation: PER_IMAGE,
    tileSize: 64,
    overlap: 0,
  });
  return { input: input!, region: result.region };
}

describe('per-image intensity normalisation', () => {
  it("computes the breast's mean and standard deviation over its mask only", () => {
    const rows = 96;
    const columns = 96;
    const image = film(rows, columns, 1, 0);
    const { mask } = findBreast(image, rows, columns);
    const inside = [...image].filter((_, i) => i % columns < 64);
    const mean = inside.reduce((s, v) => s + v, 0) / inside.length;
    const std = Math.sqrt(inside.reduce((s, v) => s + (v - mean) ** 2, 0) / inside.length);
    const stats = breastIntensity(image, rows, columns, mask)!;
    expect(stats.mean).toBeCloseTo(mean, 6);
    expect(stats.std).toBeCloseTo(std, 6);
  });

  it('gives the network the same input for the same breast at another exposure (z-scores are affine invariant)', async () => {
    const rows = 64;
    const columns = 96;
    const dim = await firstInputTile(film(rows, columns, 1, 0), rows, columns);
    const bright = await firstInputTile(film(rows, columns, 1.5, 5), rows, columns);
    expect(bright.region).toEqual(dim.region);
    let largest = 0;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < 60 - dim.region.left; c++)
        largest = Math.max(largest, Math.abs(bright.input[r * 64 + c]! - dim.input[r * 64 + c]!));
    expect(largest).toBeLessThan(1e-5);
    // With the card's fixed normalisation the two exposures differ, as they should.
    expect(normalisationFor({ offset: 127, scale: 255 }, { mean: 100, std: 20 })).toEqual({
      offset: 127,
      scale: 255,
    });
  });

  it('normalises a training crop exactly as inference normalises the same pixels', async () => {
    const rows = 64;
    const columns = 96;
    const image = film(rows, columns, 1, 10);
    const { input, region } = await firstInputTile(image, rows, columns);
    // A crop as large as the image at the model's spacing, no jitter, not mirrored (random 0.75).
    const sample = prepareSample({ rows, columns, scan: image, mask: new Uint8Array(rows * columns) });
    const crop = sampleCrop(
      sample,
      {
        ...CROP_DEFAULTS,
        size: 96,
        sampleSpacingMm: 0.2,
        modelSpacingMm: 0.2,
        scaleJitter: 0,
        intensityJitter: 0,
        normalisation: PER_IMAGE,
      },
      () => 0.75,
      false,
    );
    // The crop (96 x 96, the 64-row image centred vertically) against the tile (64 x 64 from the
    // breast region's corner).
    const cropTop = (96 - rows) / 2;
    let largest = 0;
    for (let r = 0; r < Math.min(64, region.rows); r++)
      for (let c = 0; c < Math.min(64, region.columns); c++)
        largest = Math.max(
          largest,
          Math.abs(crop.image[(cropTop + region.top + r) * 96 + region.left + c]! - input[r * 64 + c]!),
        );
    expect(largest).toBeLessThan(1e-5);
  });
});
