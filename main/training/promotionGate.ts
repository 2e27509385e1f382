import type { ModelVersion } from '../api/models.js';
import type { PromotionGateResult } from '../api/training.js';
import type { EvaluationReport } from '../evaluation/scoreEvaluation.js';

/** How much worse than the current model a candidate may be, per metric, and still be promoted. */
export const PROMOTION_TOLERANCE = 0.02;

/**
 * The promotion gate: on the fixed validation split, a candidate becomes current only if neither
 * its image AUC nor its lesion sensitivity at 1 FP/image is worse than the current model's by more
 * than the tolerance. Without a current model's figures the candidate is not promoted automatically.
 * A report is of a model as a whole: for a multi-member model, of its combined map (`mammo evaluate`
 * measures through the inference worker, which combines the members; a card's validation block is
 * the combined model's, a member's own figures live in its member entry).
 */
export function promotionGate(
  candidate: { modelId: string; report: EvaluationReport | null },
  current: { modelId: string; report: EvaluationReport } | null,
  tolerance = PROMOTION_TOLERANCE,
): PromotionGateResult {
  const summary = (modelId: string, r: EvaluationReport | null) => ({
    modelId,
    imageAUC: r?.imageAUC ?? Number.NaN,
    lesionSensitivityAt1FP: r?.lesionSensitivityAt1FP ?? Number.NaN,
    lesionDice: r?.lesionDice ?? Number.NaN,
  });
  const candidateSummary = summary(candidate.modelId, candidate.report);
  if (!candidate.report) {
    return {
      promoted: false,
      reason: 'no validation images to compare on: promote by hand',
      tolerance,
      current: current ? summary(current.modelId, current.report) : null,
      candidate: candidateSummary,
    };
  }
  if (!current) {
    return {
      promoted: false,
      reason: 'no current model measured on the validation split: promote by hand',
      tolerance,
      current: null,
      candidate: candidateSummary,
    };
  }
  const currentSummary = summary(current.modelId, current.report);
  const worse: string[] = [];
  for (const metric of ['imageAUC', 'lesionSensitivityAt1FP'] as const) {
    const a = candidateSummary[metric];
    const b = currentSummary[metric];
    // NaN (e.g. no abnormal images in the split) compares as unknown, never as better.
    if (Number.isNaN(a) || (!Number.isNaN(b) && a < b - tolerance))
      worse.push(`${metric} ${fmt(a)} < ${fmt(b)} - ${tolerance}`);
  }
  return {
    promoted: worse.length === 0,
    reason: worse.length
      ? `worse than the current model: ${worse.join('; ')}`
      : `no worse than the current model within ${tolerance}`,
    tolerance,
    current: currentSummary,
    candidate: candidateSummary,
  };
}

/**
 * The verdict when the workspace has no validation patients to measure a candidate on. The
 * reference is what the parent's card reports on its own validation set; the candidate could not be
 * measured on that set here, so nothing shows it is no worse and it is never promoted automatically.
 */
export function gateAgainstParentCard(
  candidateId: string,
  parent: Pick<ModelVersion, 'id' | 'card'>,
  tolerance = PROMOTION_TOLERANCE,
): PromotionGateResult {
  const card = parent.card.validation;
  const unmeasured = { imageAUC: Number.NaN, lesionSensitivityAt1FP: Number.NaN, lesionDice: Number.NaN };
  const reference = card
    ? `its parent ${parent.id} scores image AUC ${fmt(card.imageAUC)} and lesion sensitivity ${fmt(card.lesionSensitivityAt1FP)} at 1 FP on the ${card.images} images of its card's validation set (${card.split})`
    : `its parent ${parent.id} has no validation metrics either`;
  return {
    promoted: false,
    reason: `this workspace has no validation patients, so ${candidateId} could not be measured; ${reference}. Kept as a candidate: measure it on that set (mammo evaluate --model ${candidateId}) before promoting it by hand`,
    tolerance,
    reference: 'parent-card',
    current: card
      ? {
          modelId: parent.id,
          imageAUC: card.imageAUC,
          lesionSensitivityAt1FP: card.lesionSensitivityAt1FP,
          lesionDice: card.lesionDice,
        }
      : null,
    candidate: { modelId: candidateId, ...unmeasured },
  };
}

function fmt(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(3);
}
