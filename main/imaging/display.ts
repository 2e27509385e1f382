import { applyModality, type ModalityTransform } from './modality.js';
import type { StoredPixelArray } from './storedValues.js';
import { applyVoi, type VoiTransform } from './voi.js';

/** Everything between stored values and the 8-bit display, in the order it is applied. */
export interface DisplayPipeline {
  readonly modality: ModalityTransform;
  readonly voi: VoiTransform;
  /** MONOCHROME1: applied after VOI, as PS3.4 N.2 orders the grayscale pipeline. */
  readonly invert: boolean;
}

/** Tables larger than this would cost more to build than per-pixel evaluation saves. */
const MAX_TABLE_SIZE = 1 << 20;

/**
 * Maps one stored value to a display byte 0 .. 255: modality transform, VOI, then inversion.
 */
export function displayValue(stored: number, pipeline: DisplayPipeline): number {
  const fraction = applyVoi(applyModality(stored, pipeline.modality), pipeline.voi);
  const level = Math.round(fraction * 255);
  return pipeline.invert ? 255 - level : level;
}

/**
 * Modality values of the stored range. Evaluated at every integer in the range when the transform
 * is a LUT (which need not be monotonic), at the two ends for a rescale.
 */
export function modalityRange(
  range: { min: number; max: number },
  modality: ModalityTransform,
): { min: number; max: number } {
  if (modality.kind === 'rescale') {
    const a = applyModality(range.min, modality);
    const b = applyModality(range.max, modality);
    return { min: Math.min(a, b), max: Math.max(a, b) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let v = Math.floor(range.min); v <= range.max; v++) {
    const m = applyModality(v, modality);
    if (m < min) min = m;
    if (m > max) max = m;
  }
  return { min, max };
}

/**
 * Renders stored values to an 8-bit display image. Integer images go through a table indexed by
 * stored value (one evaluation per distinct value instead of per pixel, which matters for
 * 14-megapixel mammograms); floating-point images are evaluated per pixel.
 *
 * @param range - min/max of `stored`, which bounds the table.
 */
export function renderDisplay(
  stored: StoredPixelArray,
  range: { min: number; max: number },
  pipeline: DisplayPipeline,
): Uint8Array {
  const out = new Uint8Array(stored.length);
  const size = range.max - range.min + 1;
  if (!(stored instanceof Float32Array) && size <= MAX_TABLE_SIZE) {
    const table = new Uint8Array(size);
    for (let i = 0; i < size; i++) table[i] = displayValue(range.min + i, pipeline);
    const offset = range.min;
    for (let i = 0; i < stored.length; i++) out[i] = table[(stored[i] ?? 0) - offset] ?? 0;
    return out;
  }
  for (let i = 0; i < stored.length; i++) out[i] = displayValue(stored[i] ?? 0, pipeline);
  return out;
}
