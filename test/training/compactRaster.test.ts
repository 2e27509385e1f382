import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../main/evaluation/bootstrap.js';
import { findBreast } from '../../main/inference/breastRegion.js';
import { breastIntensity } from '../../main/inference/intensityNormalisation.js';
import {
  CROP_DEFAULTS,
  prepareSample,
  sampleBatch,
  type PreparedSample,
} from '../../main/training/batchSampler.js';
import { DeflatedRaster, MaskRuns } from '../../main/training/compactRaster.js';
import { decodeRgbSample, encodeRgbSample } from '../../main/training/rgbSample.js';
import { syntheticFilm } from '../helpers/syntheticFilm.js';
import { syntheticTrainingSample } from '../helpers/syntheticTrainingSample.js';

/** The straightforward window: pixel by pixel from the decoded array, 0 outside. */
function plainWindow(
  pixels: Uint8Array,
  rows: number,
  columns: number,
  top: number,
  left: number,
  side: number,
) {
  const out = new Uint8Array(side * side);
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      const row = top + r;
      const column = left + c;
      if (row >= 0 && row < rows && column >= 0 && column < columns)
        out[r * side + c] = pixels[row * columns + column]!;
    }
  return out;
}

/** Elements where two equally long arrays differ (with their lengths: toEqual is slow on big arrays). */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let count = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) count++;
  return count;
}

/** Windows anywhere: inside, across each edge, wholly outside, larger than the raster. */
function windows(rows: number, columns: number, count: number, seed: number) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const side = 1 + Math.floor(random() * Math.max(rows, columns) * 1.2);
    return {
      top: Math.floor(random() * (rows + side)) - side,
      left: Math.floor(random() * (columns + side)) - side,
      side,
    };
  });
}

/**
 * The sample as the trainer held it before it kept samples compactly: the decoded scan, the label
 * as a byte per pixel and the list of its set pixels. The reference every compact form must match.
 */
function straightforwardSample(png: Uint8Array): PreparedSample {
  const { rows, columns, scan, mask } = decodeRgbSample(png);
  const breast = findBreast(scan, rows, columns);
  const label = Uint8Array.from(mask, (v, i) => (v && breast.mask.pixels[i] ? v : 0));
  const positives: number[] = [];
  for (let i = 0; i < label.length; i++) if (label[i]) positives.push(i);
  return {
    rows,
    columns,
    scan: { window: (top, left, side) => plainWindow(scan, rows, columns, top, left, side) },
    label: {
      count: positives.length,
      pixelAt: (k) => positives[k]!,
      window: (top, left, side) => plainWindow(label, rows, columns, top, left, side),
    },
    breast: breast.region,
    intensity: breastIntensity(scan, rows, columns, breast.mask),
  };
}

/** A film (200 rows: the last deflated band is partial) with a lesion box straddling the skin line. */
function filmSample(): Uint8Array {
  const film = syntheticFilm({ rows: 200, columns: 150, seed: 4 });
  const mask = new Uint8Array(200 * 150);
  for (let r = 90; r < 120; r++) for (let c = 60; c < 110; c++) mask[r * 150 + c] = 255;
  for (let r = 30; r < 40; r++) for (let c = 10; c < 30; c++) mask[r * 150 + c] = 255;
  return encodeRgbSample({ rows: 200, columns: 150, scan: film.display, mask });
}

describe('compact training samples', () => {
  it('a deflated scan gives back every window the decoded scan would', () => {
    const rows = 301;
    const columns = 157;
    const random = seededRandom(2);
    const pixels = Uint8Array.from(
      { length: rows * columns },
      (_, i) => (i % 7) * 30 + Math.floor(random() * 20),
    );
    const raster = DeflatedRaster.from(pixels, rows, columns);
    for (const { top, left, side } of windows(rows, columns, 200, 3))
      expect(
        differences(raster.window(top, left, side), plainWindow(pixels, rows, columns, top, left, side)),
      ).toBe(0);
  });

  it('a mask as runs gives back every window and every set pixel by rank', () => {
    const rows = 90;
    const columns = 70;
    const random = seededRandom(8);
    // Blobs, runs that reach the end of a row (and go on at the next row's start), single pixels.
    const mask = new Uint8Array(rows * columns);
    for (let i = 0; i < mask.length; i++) if (random() < 0.05) mask[i] = 255;
    for (let r = 20; r < 40; r++) for (let c = 50; c < 70; c++) mask[r * columns + c] = 255;
    for (let r = 21; r < 41; r++) for (let c = 0; c < 10; c++) mask[r * columns + c] = 255;
    const runs = MaskRuns.from(rows, columns, (i) => mask[i]! > 0);
    const positives = [...mask.keys()].filter((i) => mask[i]);
    expect(runs.count).toBe(positives.length);
    expect(
      differences(
        positives.map((_, k) => runs.pixelAt(k)),
        positives,
      ),
    ).toBe(0);
    for (const { top, left, side } of windows(rows, columns, 200, 9))
      expect(
        differences(runs.window(top, left, side), plainWindow(mask, rows, columns, top, left, side)),
      ).toBe(0);
    expect(MaskRuns.from(rows, columns, () => false).window(0, 0, 5)).toEqual(new Uint8Array(25));
  });

  it('training batches are the same, crop for crop, as from the decoded samples', () => {
    const pngs = [
      syntheticTrainingSample(1, { row: 35, column: 55 }),
      syntheticTrainingSample(2, { row: 90, column: 35 }),
      syntheticTrainingSample(3, null),
      filmSample(),
    ];
    const compact = pngs.map((png) => prepareSample(decodeRgbSample(png)));
    const reference = pngs.map(straightforwardSample);
    expect(compact.map((s) => [s.label.count, s.breast, s.intensity])).toEqual(
      reference.map((s) => [s.label.count, s.breast, s.intensity]),
    );
    // The film's box is cut at the skin line: fewer positives than the box's pixels.
    expect(compact[3]!.label.count).toBeLessThan(30 * 50 + 10 * 20);
    expect(compact[3]!.label.count).toBeGreaterThan(0);
    const options = { ...CROP_DEFAULTS, sampleSpacingMm: 0.2, modelSpacingMm: 0.4 };
    for (let step = 0; step < 40; step++) {
      const size = step % 2 ? 64 : 48;
      const batch = (samples: PreparedSample[]) =>
        sampleBatch(samples, 4, 0.5, { ...options, size }, seededRandom(1_000_003 + step));
      const ours = batch(compact);
      const theirs = batch(reference);
      expect(differences(ours.images, theirs.images)).toBe(0);
      expect(differences(ours.labels, theirs.labels)).toBe(0);
      expect(ours.labels.some((v) => v === 1)).toBe(true);
    }
  });
});
