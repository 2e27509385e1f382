import { cropRaster, resizeBilinear } from '../imaging/resample.js';
import type { InputNormalisation } from '../api/models.js';
import { findBreast, insideBreast, type Region } from './breastRegion.js';
import { breastIntensity, normalisationFor } from './intensityNormalisation.js';
import { blendWindow, planTiles } from './tiling.js';

/**
 * Runs the network on one square batch of normalised tiles (N x size x size) and returns
 * per-pixel probabilities of the same size (N x size x size), in 0..1.
 */
export type TileRunner = (tiles: Float32Array, count: number, size: number) => Promise<Float32Array>;

export interface ProbabilityMapOptions {
  /** Pixel spacing the model expects, mm. */
  modelSpacingMm: number;
  normalisation: InputNormalisation;
  tileSize: number;
  overlap: number;
  /** Tiles per network call. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ProbabilityMap {
  /** rows * columns probabilities at the image's own resolution; 0 outside the breast's mask. */
  probability: Float32Array;
  region: Region;
  tiles: number;
}

/** Assumed when an image has no pixel spacing: a 24 cm detector height. */
const ASSUMED_IMAGE_HEIGHT_MM = 240;

/** The spacing to use for an image, and whether it had to be assumed. */
export function effectiveSpacing(
  spacingMm: readonly [number, number] | null,
  rows: number,
): { mm: number; assumed: boolean } {
  if (spacingMm) return { mm: (spacingMm[0] + spacingMm[1]) / 2, assumed: false };
  return { mm: ASSUMED_IMAGE_HEIGHT_MM / rows, assumed: true };
}

/**
 * Whole-scan prediction: crop to the breast, resample to the model's spacing, run overlapping
 * tiles and blend them, then map the probabilities back to the image's own pixels.
 */
export async function predictProbabilityMap(
  display: Uint8Array,
  rows: number,
  columns: number,
  spacingMm: number,
  run: TileRunner,
  options: ProbabilityMapOptions,
): Promise<ProbabilityMap> {
  const { region, mask } = findBreast(display, rows, columns);
  const crop = cropRaster(display, columns, region);
  const scale = spacingMm / options.modelSpacingMm;
  const modelRows = Math.max(1, Math.round(region.rows * scale));
  const modelColumns = Math.max(1, Math.round(region.columns * scale));
  const resampled = resizeBilinear(crop, region.rows, region.columns, modelRows, modelColumns);

  const plan = planTiles(modelRows, modelColumns, options.tileSize, options.overlap);
  const size = plan.tileSize;
  const window = blendWindow(size);
  const sum = new Float32Array(modelRows * modelColumns);
  const weight = new Float32Array(modelRows * modelColumns);
  const { offset, scale: divisor } = normalisationFor(
    options.normalisation,
    options.normalisation.perImage ? breastIntensity(display, rows, columns, mask) : null,
  );
  const background = (0 - offset) / divisor;
  const batchSize = Math.max(1, options.batchSize ?? 1);

  for (let first = 0; first < plan.tiles.length; first += batchSize) {
    options.signal?.throwIfAborted();
    const batch = plan.tiles.slice(first, first + batchSize);
    const input = new Float32Array(batch.length * size * size).fill(background);
    batch.forEach(({ top, left }, b) => {
      for (let r = 0; r < size && top + r < modelRows; r++) {
        const rowStart = (top + r) * modelColumns + left;
        const width = Math.min(size, modelColumns - left);
        const o = b * size * size + r * size;
        for (let c = 0; c < width; c++) input[o + c] = (resampled[rowStart + c]! - offset) / divisor;
      }
    });
    const output = await run(input, batch.length, size);
    batch.forEach(({ top, left }, b) => {
      for (let r = 0; r < size && top + r < modelRows; r++) {
        const width = Math.min(size, modelColumns - left);
        const o = b * size * size + r * size;
        const rowStart = (top + r) * modelColumns + left;
        for (let c = 0; c < width; c++) {
          const w = window[r * size + c]!;
          sum[rowStart + c]! += output[o + c]! * w;
          weight[rowStart + c]! += w;
        }
      }
    });
    options.onProgress?.(Math.min(first + batchSize, plan.tiles.length), plan.tiles.length);
  }
  for (let i = 0; i < sum.length; i++) sum[i] = weight[i]! > 0 ? sum[i]! / weight[i]! : 0;
  const smoothed = withoutStrideRipple(sum, modelRows, modelColumns);

  const regionProbability = resizeBilinear(smoothed, modelRows, modelColumns, region.rows, region.columns);
  const probability = new Float32Array(rows * columns);
  // Film labels and burned-in markers lie outside the breast's mask: nothing is found there.
  for (let r = 0; r < region.rows; r++) {
    const row = region.top + r;
    for (let c = 0; c < region.columns; c++) {
      const column = region.left + c;
      if (insideBreast(mask, row, column))
        probability[row * columns + column] = regionProbability[r * region.columns + c]!;
    }
  }
  return { probability, region, tiles: plan.tiles.length };
}

/**
 * Weights of a symmetric filter whose response is zero at periods of 2 and 4 pixels: the network
 * halves and quarters its grid (strided convolutions, a stride-2 transposed convolution, nearest
 * upsampling), and what it draws back at those strides is a fixed lattice of ripples (the
 * heatmap's dotted grid at low levels), not anatomy. It keeps what is wider than about 4 model
 * pixels, finer than any lesion the map is read for.
 */
const STRIDE_RIPPLE_FILTER = [1 / 8, 2 / 8, 2 / 8, 2 / 8, 1 / 8] as const;

/** The map filtered along rows and then columns with STRIDE_RIPPLE_FILTER (edges clamped). */
export function withoutStrideRipple(map: Float32Array, rows: number, columns: number): Float32Array {
  const along = (source: Float32Array, step: number, length: number) => {
    const out = new Float32Array(source.length);
    const half = STRIDE_RIPPLE_FILTER.length >> 1;
    for (let i = 0; i < source.length; i++) {
      const position = step === 1 ? i % columns : (i / columns) | 0;
      let value = 0;
      for (let k = -half; k <= half; k++) {
        const p = Math.min(length - 1, Math.max(0, position + k));
        value += STRIDE_RIPPLE_FILTER[k + half]! * source[i + (p - position) * step]!;
      }
      out[i] = value;
    }
    return out;
  };
  return along(along(map, 1, columns), columns, rows);
}
