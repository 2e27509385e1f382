/**
 * Where a score stands against the model card's recommended image threshold (its operating
 * point): a score at or above it is a positive call, as the CAD SR marks findings for
 * presentation at or above the card's threshold. Null when either is unknown.
 */
export function operatingPointSide(
  score: number | null | undefined,
  threshold: number | null | undefined,
): 'above' | 'below' | null {
  if (score === null || score === undefined || threshold === null || threshold === undefined) return null;
  return score >= threshold ? 'above' : 'below';
}

/** A score with its side of the operating point for a tooltip, e.g. "0.62, above the operating point 0.50". */
export function describeAgainstOperatingPoint(
  score: number | null | undefined,
  threshold: number | null | undefined,
): string {
  if (score === null || score === undefined) return 'no score';
  const side = operatingPointSide(score, threshold);
  return side
    ? `${score.toFixed(2)}, ${side} the model card's operating point ${threshold!.toFixed(2)}`
    : `${score.toFixed(2)} (the model card gives no operating point)`;
}

/**
 * Where the AI display's threshold starts: the model card's operating point (its image threshold),
 * so that by default the heatmap, outline and marks show only what the model calls positive; never
 * below the card's finding threshold, under which the model reports no findings. The reader lowers
 * it with the Threshold slider.
 *
 * @example defaultDisplayThreshold({ image: 0.72, finding: 0.13 }); // 0.72
 */
export function defaultDisplayThreshold(thresholds: { image: number; finding: number }): number {
  return Math.max(thresholds.image, thresholds.finding);
}
