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
