/** Confusion counts of the lesion class over pixels; add images together, then derive metrics. */
export interface PixelCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface PixelMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Lesion-class IoU only: never averaged with the background class, which would flatter the model. */
  lesionIoU: number;
  lesionDice: number;
}

export const EMPTY_PIXEL_COUNTS: PixelCounts = Object.freeze({
  truePositives: 0,
  falsePositives: 0,
  falseNegatives: 0,
});

/** Counts where `probability >= threshold` against `truth > 0`, over the pixels selected by `region` if given. */
export function countPixels(
  probability: ArrayLike<number>,
  truth: ArrayLike<number>,
  threshold: number,
  region?: ArrayLike<number>,
): PixelCounts {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (region && !region[i]) continue;
    const predicted = (probability[i] ?? 0) >= threshold;
    const actual = (truth[i] ?? 0) > 0;
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
  }
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn };
}

export function addPixelCounts(a: PixelCounts, b: PixelCounts): PixelCounts {
  return {
    truePositives: a.truePositives + b.truePositives,
    falsePositives: a.falsePositives + b.falsePositives,
    falseNegatives: a.falseNegatives + b.falseNegatives,
  };
}

export function pixelMetrics({
  truePositives: tp,
  falsePositives: fp,
  falseNegatives: fn,
}: PixelCounts): PixelMetrics {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    lesionIoU: tp + fp + fn ? tp / (tp + fp + fn) : 0,
    lesionDice: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}
