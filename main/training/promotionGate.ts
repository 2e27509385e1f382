import type { ModelVersion } from '../api/models.js';
import type { GateComparison, GateSetVerdict, PromotionGateResult } from '../api/training.js';
import {
  describeComparison,
  formatFigure,
  PAIRED_BOOTSTRAP,
  PAIRED_METRIC_NAMES,
  pairedComparison,
  type PairedMetric,
} from '../evaluation/pairedComparison.js';
import type { EvaluationCase } from '../evaluation/scoreEvaluation.js';

/**
 * One validation set the gate judges on: the site's (images of the data the fine-tune learns
 * from) or the parent's (other data in the workspace, where forgetting would show).
 */
export interface GateSet {
  name: string;
  role: GateSetVerdict['role'];
  candidate: readonly EvaluationCase[];
  current: readonly EvaluationCase[];
}

/** Compares candidate and current on one set, image by image ({@link pairedComparison}). */
export function compareOnSet(set: GateSet, bootstrap = PAIRED_BOOTSTRAP): GateSetVerdict {
  return { name: set.name, role: set.role, ...pairedComparison(set.candidate, set.current, bootstrap) };
}

/** What the gate worker is asked: {@link promotionGate}'s arguments. */
export interface GateRequest {
  candidateId: string;
  currentId: string;
  sets: GateSet[];
  autoPromote: boolean;
}

/**
 * The promotion gate. It judges a candidate against the current model on every validation set of
 * the workspace, measured on the same images: the site's (the data the fine-tune learns from) and
 * the parent's (other data the current model already reads). The candidate passes when no metric
 * the card reports (image AUC, lesion sensitivity at 1 FP/image, lesion Dice) is worse beyond
 * noise on any set (the 95% paired-bootstrap interval of the difference lies wholly below zero):
 * worse on the site's data is a bad fine-tune, worse on the parent's is forgetting. A metric that
 * is undefined on a set is skipped with its reason; with nothing measurable at all it does not pass.
 * Passing does not make the candidate current: a person promotes it, unless `autoPromote` asks the
 * gate to.
 */
export function promotionGate(
  candidateId: string,
  currentId: string,
  sets: readonly GateSet[],
  { autoPromote = false, bootstrap = PAIRED_BOOTSTRAP } = {},
): PromotionGateResult {
  const verdicts = sets.map((set) => compareOnSet(set, bootstrap));
  const measured = verdicts.flatMap((v) =>
    v.comparisons.filter((c) => c.skipped === undefined).map((c) => ({ v, c })),
  );
  const worse = measured.filter(({ c }) => c.worse);
  const passed = measured.length > 0 && worse.length === 0;
  const skipped = verdicts.flatMap((v) =>
    v.comparisons
      .filter((c) => c.skipped !== undefined)
      .map((c) => `${PAIRED_METRIC_NAMES[c.metric]} on ${setLabel(v)} (${c.skipped})`),
  );
  const reason = !measured.length
    ? `Not passed: nothing could be measured on ${verdicts.map(setLabel).join(' and ') || 'no validation set'}${skipped.length ? ` (${skipped.join('; ')})` : ''}.`
    : passed
      ? `Passed: ${candidateId} is worse than ${currentId} beyond noise on no metric — ${measured.map(({ v, c }) => describe(v, c)).join('; ')}${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}.`
      : `Refused: ${worse.map(({ v, c }) => `${v.role === 'parent' ? 'it forgets the parent’s data: ' : ''}${describe(v, c)}`).join('; ')} — worse than ${currentId} beyond noise.`;
  const pooled = (pick: 'candidate' | 'current', modelId: string) => {
    const value = (metric: PairedMetric) =>
      verdicts.find((v) => v.role === 'site')?.comparisons.find((c) => c.metric === metric)?.[pick] ??
      Number.NaN;
    return {
      modelId,
      imageAUC: value('imageAUC'),
      lesionSensitivityAt1FP: value('lesionSensitivityAt1FP'),
      lesionDice: value('lesionDice'),
    };
  };
  return {
    passed,
    promoted: passed && autoPromote,
    reason,
    reference: 'workspace',
    sets: verdicts,
    current: pooled('current', currentId),
    candidate: pooled('candidate', candidateId),
  };
}

function setLabel(verdict: Pick<GateSetVerdict, 'name' | 'role' | 'images'>): string {
  return `${verdict.role === 'site' ? 'the site’s' : 'the parent’s'} ${verdict.name} validation images (${verdict.images})`;
}

function describe(verdict: GateSetVerdict, comparison: GateComparison): string {
  return describeComparison(comparison, setLabel(verdict));
}

/**
 * What a workspace gate measured, for its verdict: the validation images as stored for training,
 * resampled to `sampleSpacingMm`, not the original images a model card and `mammo evaluate`
 * measure. The lesions are the same (validateOnSamples); the peaks lie on a grid of about 1 mm of
 * each image and their scores move a little with the resampling, so a peak on a lesion's edge or a
 * score at the threshold can count on one and not the other (E29: v5 on CBIS-DDSM validation, 184 of
 * 267 masses at 1 FP/image here, 183 on its card; five masses changed, three one way, two the other).
 */
export function gateMeasuredOn(sampleSpacingMm: number): string {
  return `this workspace's validation images as stored for training (${sampleSpacingMm} mm pixels), both models on the same images; a lesion is hit when a peak lies inside its imported box or circle (a reader's correction: the circle around each piece of its mask), as mammo evaluate counts it. A model card and mammo evaluate measure the original images, where a peak on a lesion's edge or a score at the threshold can fall the other way: expect a lesion or two in a few hundred to differ`;
}

/**
 * The verdict when the workspace has no validation patients to measure a candidate on. The
 * reference is what the parent's card reports on its own validation set; the candidate could not be
 * measured on that set here, so nothing shows it is no worse and it does not pass.
 */
export function gateAgainstParentCard(
  candidateId: string,
  parent: Pick<ModelVersion, 'id' | 'card'>,
): PromotionGateResult {
  const card = parent.card.validation;
  const unmeasured = { imageAUC: Number.NaN, lesionSensitivityAt1FP: Number.NaN, lesionDice: Number.NaN };
  const reference = card
    ? `its parent ${parent.id} scores image AUC ${formatFigure(card.imageAUC ?? Number.NaN)}, lesion sensitivity ${formatFigure(card.lesionSensitivityAt1FP)} at 1 FP and Dice ${formatFigure(card.lesionDice)} on the ${card.images} images of its card's validation set (${card.split})`
    : `its parent ${parent.id} has no validation metrics either`;
  return {
    passed: false,
    promoted: false,
    reason: `Not passed: this workspace has no validation patients, so ${candidateId} could not be measured; ${reference}. Kept as a candidate: measure it on that set (mammo evaluate --model ${candidateId}) before promoting it by hand.`,
    reference: 'parent-card',
    sets: [],
    current: card
      ? {
          modelId: parent.id,
          imageAUC: card.imageAUC ?? Number.NaN,
          lesionSensitivityAt1FP: card.lesionSensitivityAt1FP,
          lesionDice: card.lesionDice,
        }
      : null,
    candidate: { modelId: candidateId, ...unmeasured },
  };
}
