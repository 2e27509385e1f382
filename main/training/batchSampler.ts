import { findBreastRegion, type Region } from '../inference/breastRegion.js';
import { cropRaster, resizeBilinear } from '../imaging/resample.js';
import type { RgbSample } from './rgbSample.js';

export interface CropOptions {
  /** Side of the network input, S. */
  size: number;
  /** Crops of side S / cropFraction are resized to S (the published 0.66). */
  cropFraction: number;
  /** Relative jitter of the crop side (the published ~2.5%). */
  jitter: number;
  normalisation: { offset: number; scale: number };
}

export const CROP_DEFAULTS: Omit<CropOptions, 'size'> = Object.freeze({
  cropFraction: 0.66,
  jitter: 0.025,
  normalisation: { offset: 127, scale: 255 },
});

/** A sample ready for cropping, with what the sampler needs precomputed once. */
export interface PreparedSample extends RgbSample {
  breast: Region;
  positives: Int32Array;
}

export function prepareSample(sample: RgbSample): PreparedSample {
  const positives: number[] = [];
  for (let i = 0; i < sample.mask.length; i++) if (sample.mask[i]) positives.push(i);
  return {
    ...sample,
    breast: findBreastRegion(sample.scan, sample.rows, sample.columns),
    positives: Int32Array.from(positives),
  };
}

/**
 * One training example from a sample, built the published way: a random square crop of side
 * S / 0.66 (jittered), resized to S, random flips and 90 degree rotations applied to scan and mask
 * alike, label = G > 0, image normalised as (x - 127) / 255. With `aroundLesion` the crop is
 * centred near a random lesion pixel; otherwise anywhere on the breast.
 */
export function sampleCrop(
  sample: PreparedSample,
  options: CropOptions,
  random: () => number,
  aroundLesion: boolean,
): { image: Float32Array; label: Float32Array } {
  const { size } = options;
  const side = Math.max(
    2,
    Math.round((size / options.cropFraction) * (1 + (random() * 2 - 1) * options.jitter)),
  );
  let centreRow: number;
  let centreColumn: number;
  if (aroundLesion && sample.positives.length > 0) {
    const p = sample.positives[Math.floor(random() * sample.positives.length)]!;
    centreRow = Math.floor(p / sample.columns) + (random() * 2 - 1) * (side / 3);
    centreColumn = (p % sample.columns) + (random() * 2 - 1) * (side / 3);
  } else {
    centreRow = sample.breast.top + random() * sample.breast.rows;
    centreColumn = sample.breast.left + random() * sample.breast.columns;
  }
  const top = placeCrop(centreRow, side, sample.rows);
  const left = placeCrop(centreColumn, side, sample.columns);
  const scan = paddedCrop(sample.scan, sample.rows, sample.columns, top, left, side);
  const mask = paddedCrop(sample.mask, sample.rows, sample.columns, top, left, side);
  const resizedScan = resizeBilinear(scan, side, side, size, size);
  const resizedLabel = resizeBilinear(mask, side, side, size, size).map((v) => (v >= 128 ? 1 : 0));

  const flipRows = random() < 0.5;
  const flipColumns = random() < 0.5;
  const quarterTurns = Math.floor(random() * 4);
  const image = orient(resizedScan, size, flipRows, flipColumns, quarterTurns);
  const label = orient(resizedLabel, size, flipRows, flipColumns, quarterTurns);
  const { offset, scale } = options.normalisation;
  return { image: Float32Array.from(image, (v) => (v - offset) / scale), label: Float32Array.from(label) };
}

/** Top-left of a crop centred near `centre`, kept inside the image when the image is large enough. */
function placeCrop(centre: number, side: number, length: number): number {
  if (length <= side) return Math.round((length - side) / 2);
  return Math.min(Math.max(0, Math.round(centre - side / 2)), length - side);
}

/** A side x side crop that may extend past the image; outside is black. */
function paddedCrop(
  source: Uint8Array,
  rows: number,
  columns: number,
  top: number,
  left: number,
  side: number,
): Uint8Array {
  if (top >= 0 && left >= 0 && top + side <= rows && left + side <= columns) {
    return cropRaster(source, columns, { top, left, rows: side, columns: side });
  }
  const out = new Uint8Array(side * side);
  for (let r = 0; r < side; r++) {
    const sr = top + r;
    if (sr < 0 || sr >= rows) continue;
    for (let c = 0; c < side; c++) {
      const sc = left + c;
      if (sc >= 0 && sc < columns) out[r * side + c] = source[sr * columns + sc]!;
    }
  }
  return out;
}

/** Flips then rotates a square raster by quarter turns (clockwise). */
export function orient(
  source: Uint8Array<ArrayBufferLike>,
  size: number,
  flipRows: boolean,
  flipColumns: boolean,
  quarterTurns: number,
): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let rr = flipRows ? size - 1 - r : r;
      let cc = flipColumns ? size - 1 - c : c;
      for (let t = 0; t < quarterTurns; t++) [rr, cc] = [cc, size - 1 - rr];
      out[rr * size + cc] = source[r * size + c]!;
    }
  }
  return out;
}

/**
 * A batch of `batchSize` examples: a share `roiShare` of them cropped around lesions (from
 * samples that have any), the rest anywhere on the breast. Returns NHWC-flat arrays.
 */
export function sampleBatch(
  samples: readonly PreparedSample[],
  batchSize: number,
  roiShare: number,
  options: CropOptions,
  random: () => number,
): { images: Float32Array; labels: Float32Array } {
  const withLesions = samples.filter((s) => s.positives.length > 0);
  const area = options.size * options.size;
  const images = new Float32Array(batchSize * area);
  const labels = new Float32Array(batchSize * area);
  const roiCount = withLesions.length ? Math.round(batchSize * roiShare) : 0;
  for (let b = 0; b < batchSize; b++) {
    const aroundLesion = b < roiCount;
    const pool = aroundLesion ? withLesions : samples;
    const example = sampleCrop(pool[Math.floor(random() * pool.length)]!, options, random, aroundLesion);
    images.set(example.image, b * area);
    labels.set(example.label, b * area);
  }
  return { images, labels };
}
