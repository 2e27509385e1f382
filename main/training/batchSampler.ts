import type { InputNormalisation } from '../api/models.js';
import { findBreast, type Region } from '../inference/breastRegion.js';
import {
  breastIntensity,
  normalisationFor,
  type BreastIntensity,
} from '../inference/intensityNormalisation.js';
import { resizeBilinear } from '../imaging/resample.js';
import { DeflatedRaster, MaskRuns, type LabelPixels, type RasterWindow } from './compactRaster.js';
import type { RgbSample } from './rgbSample.js';

export interface CropOptions {
  /** Side of the network input, S. */
  size: number;
  /** Pixel spacing of the samples, mm. */
  sampleSpacingMm: number;
  /** Pixel spacing the network sees (the card's inputPixelSpacingMm), mm. */
  modelSpacingMm: number;
  /** Relative jitter of the crop's scale, uniform in ±scaleJitter. */
  scaleJitter: number;
  /** Contrast x(1 ± j) and brightness ± j/2 (in normalised units), uniform. */
  intensityJitter: number;
  normalisation: InputNormalisation;
}

export const CROP_DEFAULTS: Omit<CropOptions, 'size' | 'sampleSpacingMm' | 'modelSpacingMm'> = Object.freeze({
  scaleJitter: 0.1,
  intensityJitter: 0.1,
  normalisation: { offset: 127, scale: 255 },
});

/**
 * A sample ready for cropping, with what the sampler needs precomputed once. The trainer holds
 * every one for the whole run, so its pixels are kept compactly (see compactRaster.ts).
 */
export interface PreparedSample {
  rows: number;
  columns: number;
  scan: RasterWindow;
  /** The label: the sample's mask (> 0, as G > 0 in the RGB sample) inside the breast, 255. */
  label: LabelPixels;
  breast: Region;
  /** The whole scan's breast statistics, as inference computes them from the whole image. */
  intensity: BreastIntensity | null;
}

/**
 * A sample with its breast found once. Its label is kept only inside the breast's mask: nothing
 * outside the breast (background, a film label, a marker) is ever a training positive, even where
 * a box or a painted stroke reaches past the skin line.
 */
export function prepareSample(sample: RgbSample): PreparedSample {
  const { rows, columns } = sample;
  const { region, mask } = findBreast(sample.scan, rows, columns);
  return {
    rows,
    columns,
    scan: DeflatedRaster.from(sample.scan, rows, columns),
    label: MaskRuns.from(rows, columns, (i) => sample.mask[i]! > 0 && mask.pixels[i]! > 0),
    breast: region,
    intensity: breastIntensity(sample.scan, rows, columns, mask),
  };
}

/**
 * One training example from a whole-scan sample: a square crop that covers S pixels at the model's
 * spacing (scale-jittered), resized to S, optionally mirrored left-right, with mild contrast and
 * brightness jitter; label = G > 0; image normalised as (x - offset) / scale (per image where the
 * card says so, from the whole scan's breast). With `aroundLesion`
 * the crop contains a random lesion pixel (within its middle half), otherwise it is centred
 * anywhere on the breast. Crops are taken from whole scans only, so a lesion is always seen in its
 * real surroundings. No vertical flips or rotations: they would put the pectoral muscle where it
 * never is on an MLO view.
 */
export function sampleCrop(
  sample: PreparedSample,
  options: CropOptions,
  random: () => number,
  aroundLesion: boolean,
): { image: Float32Array; label: Float32Array } {
  const { size } = options;
  const scale =
    (options.modelSpacingMm / options.sampleSpacingMm) * (1 + (random() * 2 - 1) * options.scaleJitter);
  const side = Math.max(2, Math.round(size * scale));
  let centreRow: number;
  let centreColumn: number;
  if (aroundLesion && sample.label.count > 0) {
    const p = sample.label.pixelAt(Math.floor(random() * sample.label.count));
    centreRow = Math.floor(p / sample.columns) + (random() * 2 - 1) * (side / 4);
    centreColumn = (p % sample.columns) + (random() * 2 - 1) * (side / 4);
  } else {
    centreRow = sample.breast.top + random() * sample.breast.rows;
    centreColumn = sample.breast.left + random() * sample.breast.columns;
  }
  const top = placeCrop(centreRow, side, sample.rows);
  const left = placeCrop(centreColumn, side, sample.columns);
  const scan = sample.scan.window(top, left, side);
  const mask = sample.label.window(top, left, side);
  const resizedScan = resizeBilinear(scan, side, side, size, size);
  const resizedLabel = resizeBilinear(mask, side, side, size, size).map((v) => (v >= 128 ? 1 : 0));

  const mirror = random() < 0.5;
  const scanOut = mirror ? mirrorColumns(resizedScan, size) : resizedScan;
  const labelOut = mirror ? mirrorColumns(resizedLabel, size) : resizedLabel;
  const contrast = 1 + (random() * 2 - 1) * options.intensityJitter;
  const brightness = ((random() * 2 - 1) * options.intensityJitter) / 2;
  const { offset, scale: divisor } = normalisationFor(options.normalisation, sample.intensity);
  return {
    image: Float32Array.from(scanOut, (v) => ((v - offset) / divisor) * contrast + brightness),
    label: Float32Array.from(labelOut),
  };
}

/** Top-left of a crop centred near `centre`, kept inside the image when the image is large enough. */
function placeCrop(centre: number, side: number, length: number): number {
  if (length <= side) return Math.round((length - side) / 2);
  return Math.min(Math.max(0, Math.round(centre - side / 2)), length - side);
}

/** Mirrors a square raster left-right. */
export function mirrorColumns(source: Uint8Array<ArrayBufferLike>, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) out[r * size + c] = source[r * size + size - 1 - c]!;
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
  const withLesions = samples.filter((s) => s.label.count > 0);
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
