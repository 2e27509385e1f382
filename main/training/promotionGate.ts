import type { ModelVersion } from '../api/models.js';
import type { GateComparison, GateSetVerdict, PromotionGateResult } from '../api/training.js';
import { bootstrapInterval } from '../evaluation/bootstrap.js';
import { frocCurve, sensitivityAtFalsePositives } from '../evaluation/froc.js';
import { addPixelCounts, EMPTY_PIXEL_COUNTS, pixelMetrics } from '../evaluation/pixelMetrics.js';
import { rocAuc } from '../evaluation/rocAuc.js';
import type { EvaluationCase } from '../evaluation/scoreEvaluation.js';

/** The gate's bootstrap: replicates and confidence level of each paired difference's interval. */
export const GATE_BOOTSTRAP = Object.freeze({ replicates: 1000, level: 0.95, seed: 1 });

/** A metric the gate compares: the card's three headline figures. */
type GateMetric = GateComparison['metric'];

const METRIC_NAMES: Record<GateMetric, string> = {
  imageAUC: 'image AUC',
  lesionSensitivityAt1FP: 'lesion sensitivity at 1 FP/image',
  lesionDice: 'lesion Dice',
};

/** One image measured by both models. */
interface PairedCase {
  patientId: string;
  candidate: EvaluationCase;
  current: EvaluationCase;
}

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

/**
 * Each metric of a set of cases, NaN where it is undefined: image AUC without a normal or an
 * abnormal image, lesion sensitivity without a lesion, Dice without a lesion pixel.
 */
const METRICS: Record<GateMetric, (cases: readonly EvaluationCase[]) => number> = {
  imageAUC: (cases) =>
    rocAuc(
      cases.map((c) => c.imageScore),
      cases.map((c) => c.abnormal),
    ),
  lesionSensitivityAt1FP: (cases) =>
    cases.some((c) => c.lesions.length)
      ? sensitivityAtFalsePositives(
          frocCurve(cases.map((c) => ({ findings: c.candidates, lesions: c.lesions }))),
          1,
        )
      : Number.NaN,
  lesionDice: (cases) => {
    const counts = cases.reduce((sum, c) => addPixelCounts(sum, c.pixels), EMPTY_PIXEL_COUNTS);
    return counts.truePositives + counts.falseNegatives ? pixelMetrics(counts).lesionDice : Number.NaN;
  },
};

/** Why a metric is undefined on a set, in words. */
function undefinedBecause(metric: GateMetric, cases: readonly EvaluationCase[]): string {
  if (metric === 'imageAUC')
    return cases.every((c) => c.abnormal)
      ? 'every image holds a lesion (no normal image), so image AUC is undefined'
      : 'no image holds a lesion, so image AUC is undefined';
  if (metric === 'lesionSensitivityAt1FP')
    return 'no image holds a lesion, so lesion sensitivity is undefined';
  return 'no lesion pixel in the masks, so Dice is undefined';
}

/**
 * Compares candidate and current on one set, image by image: each metric's difference (candidate
 * minus current) with a paired bootstrap interval over patients (a replicate draws patients with
 * replacement and measures both models on the same draw). A metric is worse beyond noise when the
 * whole interval lies below zero.
 */
export function compareOnSet(set: GateSet, bootstrap = GATE_BOOTSTRAP): GateSetVerdict {
  const current = new Map(set.current.map((c) => [c.imageName, c]));
  const pairs: PairedCase[] = set.candidate.flatMap((candidate) => {
    const other = current.get(candidate.imageName);
    return other ? [{ patientId: candidate.patientId, candidate, current: other }] : [];
  });
  const byPatient = new Map<string, PairedCase[]>();
  for (const pair of pairs) byPatient.set(pair.patientId, [...(byPatient.get(pair.patientId) ?? []), pair]);
  const clusters = [...byPatient.values()];
  const comparisons = (Object.keys(METRICS) as GateMetric[]).map((metric): GateComparison => {
    const measure = METRICS[metric];
    const difference = (sample: readonly PairedCase[]) =>
      measure(sample.map((p) => p.candidate)) - measure(sample.map((p) => p.current));
    const candidateValue = measure(pairs.map((p) => p.candidate));
    const currentValue = measure(pairs.map((p) => p.current));
    if (Number.isNaN(candidateValue) || Number.isNaN(currentValue))
      return {
        metric,
        candidate: candidateValue,
        current: currentValue,
        skipped: pairs.length
          ? undefinedBecause(
              metric,
              pairs.map((p) => p.current),
            )
          : 'no image measured by both',
      };
    const interval = bootstrapInterval(clusters, difference, bootstrap);
    return {
      metric,
      candidate: candidateValue,
      current: currentValue,
      difference: candidateValue - currentValue,
      interval,
      worse: interval.high < 0,
    };
  });
  return {
    name: set.name,
    role: set.role,
    images: pairs.length,
    patients: clusters.length,
    lesions: pairs.reduce((n, p) => n + p.current.lesions.length, 0),
    comparisons,
  };
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
  { autoPromote = false, bootstrap = GATE_BOOTSTRAP } = {},
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
      .map((c) => `${METRIC_NAMES[c.metric]} on ${setLabel(v)} (${c.skipped})`),
  );
  const reason = !measured.length
    ? `Not passed: nothing could be measured on ${verdicts.map(setLabel).join(' and ') || 'no validation set'}${skipped.length ? ` (${skipped.join('; ')})` : ''}.`
    : passed
      ? `Passed: ${candidateId} is worse than ${currentId} beyond noise on no metric — ${measured.map(({ v, c }) => describe(v, c)).join('; ')}${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}.`
      : `Refused: ${worse.map(({ v, c }) => `${v.role === 'parent' ? 'it forgets the parent’s data: ' : ''}${describe(v, c)}`).join('; ')} — worse than ${currentId} beyond noise.`;
  const pooled = (pick: 'candidate' | 'current', modelId: string) => {
    const value = (metric: GateMetric) =>
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
  const { interval } = comparison;
  return `${METRIC_NAMES[comparison.metric]} on ${setLabel(verdict)} ${fmt(comparison.current)} → ${fmt(comparison.candidate)} (difference ${signed(comparison.difference!)}, 95% CI ${signed(interval!.low)} to ${signed(interval!.high)})`;
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
    ? `its parent ${parent.id} scores image AUC ${fmt(card.imageAUC ?? Number.NaN)}, lesion sensitivity ${fmt(card.lesionSensitivityAt1FP)} at 1 FP and Dice ${fmt(card.lesionDice)} on the ${card.images} images of its card's validation set (${card.split})`
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

function fmt(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(3);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
}
