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
