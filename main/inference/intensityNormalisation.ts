import type { InputNormalisation } from '../api/models.js';
import type { BreastMask } from './breastRegion.js';

/** Mean and standard deviation of the 8-bit display pixels of the breast's tissue. */
export interface BreastIntensity {
  mean: number;
  std: number;
}

/**
 * The breast's intensity statistics over the pixels inside its mask (which follows the skin line,
 * so it holds no background). Film exposure and processing differ from one mammogram to the
 * next, so a model normalised per image sees every breast at one brightness and contrast.
 * Returns null when the mask holds no pixel.
 */
export function breastIntensity(
  display: ArrayLike<number>,
  rows: number,
  columns: number,
  mask: BreastMask,
): BreastIntensity | null {
  let count = 0;
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < rows * columns; i++) {
    if (!mask.pixels[i]) continue;
    const v = display[i]!;
    count++;
    sum += v;
    sumOfSquares += v * v;
  }
  if (count === 0) return null;
  const mean = sum / count;
  return { mean, std: Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)) };
}

/** Breast standard deviations that map to one input unit: the input's spread is about 0.25. */
const STD_PER_UNIT = 4;

/**
 * The offset and divisor for one image: the card's fixed values, or with `perImage: 'breast'`
 * the breast's mean and 4 of its standard deviations (the card's values where the breast is empty
 * or flat).
 */
export function normalisationFor(
  normalisation: InputNormalisation,
  intensity: BreastIntensity | null,
): { offset: number; scale: number } {
  if (normalisation.perImage !== 'breast' || !intensity || intensity.std < 1) {
    return { offset: normalisation.offset, scale: normalisation.scale };
  }
  return { offset: intensity.mean, scale: STD_PER_UNIT * intensity.std };
}
