import type { GateComparison } from '../api/training.js';
import { bootstrapInterval } from './bootstrap.js';
import { frocCurve, sensitivityAtFalsePositives } from './froc.js';
import { addPixelCounts, EMPTY_PIXEL_COUNTS, pixelMetrics } from './pixelMetrics.js';
import { rocAuc } from './rocAuc.js';
import type { EvaluationCase } from './scoreEvaluation.js';

/** Replicates and confidence level of each paired difference's interval (the promotion gate's too). */
export const PAIRED_BOOTSTRAP = Object.freeze({ replicates: 1000, level: 0.95, seed: 1 });

/** A metric compared: a model card's three headline figures. */
export type PairedMetric = GateComparison['metric'];

export const PAIRED_METRIC_NAMES: Record<PairedMetric, string> = {
  imageAUC: 'image AUC',
  lesionSensitivityAt1FP: 'lesion sensitivity at 1 FP/image',
  lesionDice: 'lesion Dice',
};

/** Two models measured on the same images: each metric's difference, candidate minus current. */
export interface PairedComparison {
  /** Images both models were measured on. */
  images: number;
  patients: number;
  /** Lesions of those images that the sensitivity counts. */
  lesions: number;
  comparisons: GateComparison[];
}

/** One image measured by both models. */
interface PairedCase {
  patientId: string;
  candidate: EvaluationCase;
  current: EvaluationCase;
}

/**
 * Each metric of a set of cases, NaN where it is undefined: image AUC without a normal or an
 * abnormal image, lesion sensitivity without a lesion, Dice without a lesion pixel.
 */
const METRICS: Record<PairedMetric, (cases: readonly EvaluationCase[]) => number> = {
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
function undefinedBecause(metric: PairedMetric, cases: readonly EvaluationCase[]): string {
  if (metric === 'imageAUC')
    return cases.every((c) => c.abnormal)
      ? 'every image holds a lesion (no normal image), so image AUC is undefined'
      : 'no image holds a lesion, so image AUC is undefined';
  if (metric === 'lesionSensitivityAt1FP')
    return 'no image holds a lesion, so lesion sensitivity is undefined';
  return 'no lesion pixel in the masks, so Dice is undefined';
}

/**
 * Compares two models image by image on the images both measured (matched by name): each metric's
 * difference (candidate minus current) with a paired bootstrap interval over patients (a replicate
 * draws patients with replacement and measures both models on the same draw, so what the two share
 * cancels). A metric is worse beyond noise when the whole interval lies below zero.
 */
export function pairedComparison(
  candidateCases: readonly EvaluationCase[],
  currentCases: readonly EvaluationCase[],
  bootstrap = PAIRED_BOOTSTRAP,
): PairedComparison {
  const current = new Map(currentCases.map((c) => [c.imageName, c]));
  const pairs: PairedCase[] = candidateCases.flatMap((candidate) => {
    const other = current.get(candidate.imageName);
    return other ? [{ patientId: candidate.patientId, candidate, current: other }] : [];
  });
  const byPatient = new Map<string, PairedCase[]>();
  for (const pair of pairs) byPatient.set(pair.patientId, [...(byPatient.get(pair.patientId) ?? []), pair]);
  const clusters = [...byPatient.values()];
  const comparisons = (Object.keys(METRICS) as PairedMetric[]).map((metric): GateComparison => {
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
    images: pairs.length,
    patients: clusters.length,
    lesions: pairs.reduce((n, p) => n + p.current.lesions.length, 0),
    comparisons,
  };
}

/** A figure to three decimals, "n/a" where it is undefined. */
export function formatFigure(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(3);
}

/** A difference with its sign (a true minus for a fall). */
export function formatSigned(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
}

/**
 * One compared metric in words, "lesion Dice 0.481 → 0.470 (difference −0.011, 95% CI −0.030 to
 * +0.008)", with `where` it was measured after the metric's name when given.
 */
export function describeComparison(comparison: GateComparison, where?: string): string {
  const name = `${PAIRED_METRIC_NAMES[comparison.metric]}${where ? ` on ${where}` : ''}`;
  if (comparison.skipped !== undefined) return `${name}: not compared (${comparison.skipped})`;
  const { interval } = comparison;
  return `${name} ${formatFigure(comparison.current)} → ${formatFigure(comparison.candidate)} (difference ${formatSigned(comparison.difference!)}, 95% CI ${formatSigned(interval!.low)} to ${formatSigned(interval!.high)})`;
}
