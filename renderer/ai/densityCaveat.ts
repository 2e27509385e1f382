import type { ModelCard } from '../../main/api/models.js';
import { formatMetric } from './formatMetric.js';

/** Below this image AUC within a breast density, the panel says the model does not read that kind of breast. */
const WEAK_AUC = 0.6;

const DENSITIES = ['fatty', 'fatty-glandular', 'dense-glandular'] as const;

/**
 * The card's block that measures image AUC by breast density: its validation, else its external
 * test (a CBIS-DDSM model's validation has no normal images, so its density AUCs come from
 * mini-MIAS, the external test).
 */
export function densityValidation(
  card: Pick<ModelCard, 'validation' | 'externalValidation'>,
): ModelCard['validation'] {
  return card.validation?.['byBreastDensity']
    ? card.validation
    : (card.externalValidation ?? card.validation);
}

/**
 * What the card's validation says per breast density (`byBreastDensity`, written by
 * `mammo evaluate`), as one line for the AI panel, and the densities where the model is weak.
 * Dense tissue hides lesions (masking), so a reader should know where the model's score means
 * little. Null when the card does not record it.
 */
export function densityCaveat(
  validation: ModelCard['validation'],
): { line: string; weakIn: string[] } | null {
  const byDensity = validation?.['byBreastDensity'];
  if (!byDensity || typeof byDensity !== 'object') return null;
  const measured = DENSITIES.flatMap((density) => {
    const auc = (byDensity as Record<string, { imageAUC?: unknown } | undefined>)[density]?.imageAUC;
    return typeof auc === 'number' && Number.isFinite(auc) ? [{ density, auc }] : [];
  });
  if (measured.length === 0) return null;
  return {
    line: `Image AUC by breast density (${validation.split}): ${measured
      .map(({ density, auc }) => `${density} ${formatMetric(auc)}`)
      .join(' · ')}`,
    weakIn: measured.filter(({ auc }) => auc < WEAK_AUC).map(({ density }) => density),
  };
}
