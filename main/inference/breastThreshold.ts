import { squaredDistanceTo } from './maskMorphology.js';

/**
 * Where the breast's edge lies in display levels, from the image's own histogram: film and digital
 * images differ in background level (a film's may display at 35) and in noise.
 */
/** Levels this close together are one flat image: there is no background to separate. */
const FLAT_RANGE = 8;

/**
 * The skin line's level: background level + skinLevel x (tissue median - background level), with
 * the classes split by Otsu's threshold on the histogram. Null for a flat image.
 */
export function skinThreshold(values: ArrayLike<number>, skinLevel: number): number | null {
  const histogram = new Float64Array(256);
  for (let i = 0; i < values.length; i++) histogram[Math.min(255, Math.max(0, Math.round(values[i]!)))]!++;
  let lowest = 0;
  while (lowest < 255 && histogram[lowest] === 0) lowest++;
  let highest = 255;
  while (highest > 0 && histogram[highest] === 0) highest--;
  if (highest - lowest < FLAT_RANGE) return null;

  const split = otsu(histogram);
  let background = lowest;
  for (let v = lowest; v <= split; v++) if (histogram[v]! > histogram[background]!) background = v;
  let brighter = 0;
  for (let v = split + 1; v < 256; v++) brighter += histogram[v]!;
  let tissue = split + 1;
  for (let seen = 0; tissue < 255; tissue++) {
    seen += histogram[tissue]!;
    if (seen >= brighter / 2) break;
  }
  return background + Math.max(1, skinLevel * (tissue - background));
}

/** Otsu's threshold: the level t that maximises the between-class variance of {<= t} and {> t}. */
function otsu(histogram: Float64Array): number {
  let total = 0;
  let totalSum = 0;
  for (let v = 0; v < 256; v++) {
    total += histogram[v]!;
    totalSum += v * histogram[v]!;
  }
  let weight = 0;
  let sum = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < 255; t++) {
    weight += histogram[t]!;
    sum += t * histogram[t]!;
    if (weight === 0 || weight === total) continue;
    const meanLow = sum / weight;
    const meanHigh = (totalSum - sum) / (total - weight);
    const variance = weight * (total - weight) * (meanLow - meanHigh) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best;
}

/** Share of the background sample allowed above the skin line's level (noise, halos). */
const BACKGROUND_QUANTILE = 0.99;

/**
 * The background's ceiling: the 99th percentile, plus one level, of the pixels farther than
 * `farFromBreast` from the breast that are not bright (labels and markers are not background's
 * noise). The breast's thin edge, just above the background, is darker than the core threshold,
 * and this is where its skin line is. Infinity when too little background is seen to tell.
 */
export function backgroundCeiling(
  values: Float32Array,
  breast: Uint8Array,
  rows: number,
  columns: number,
  coreThreshold: number,
  farFromBreast: number,
): number {
  const toBreast = squaredDistanceTo(breast, 1, rows, columns);
  const far = farFromBreast * farFromBreast;
  const histogram = new Float64Array(QUANTILE_BINS);
  let sampled = 0;
  for (let i = 0; i < values.length; i++) {
    if (toBreast[i]! > far && values[i]! <= coreThreshold) {
      histogram[quantileBin(values[i]!)]!++;
      sampled++;
    }
  }
  if (sampled < values.length * 0.01) return Infinity;
  return histogramQuantile(histogram, sampled, BACKGROUND_QUANTILE) + 1;
}

/** The q-quantile of display levels (0..255), to a quarter level. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const histogram = new Float64Array(QUANTILE_BINS);
  for (let i = 0; i < values.length; i++) histogram[quantileBin(values[i]!)]!++;
  return histogramQuantile(histogram, values.length, q);
}

/** Quarter levels from 0 to 255.75. */
const QUANTILE_BINS = 1024;

function quantileBin(value: number): number {
  return Math.min(QUANTILE_BINS - 1, Math.max(0, Math.round(value * 4)));
}

/** The q-quantile of the `count` values counted in a quarter-level histogram. */
function histogramQuantile(histogram: Float64Array, count: number, q: number): number {
  let seen = 0;
  for (let bin = 0; bin < QUANTILE_BINS; bin++) {
    seen += histogram[bin]!;
    if (seen >= count * q) return bin / 4;
  }
  return 255;
}
