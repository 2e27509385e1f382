import type { ModelCard } from '../api/models.js';
import { bootstrapInterval, type ConfidenceInterval } from './bootstrap.js';
import {
  frocCurve,
  sensitivityAtFalsePositives,
  type FrocPoint,
  type LesionRegion,
  type ScoredFinding,
} from './froc.js';
import { addPixelCounts, EMPTY_PIXEL_COUNTS, pixelMetrics, type PixelCounts } from './pixelMetrics.js';
import { rocAuc, sensitivitySpecificity } from './rocAuc.js';

/** One evaluated image, reduced to what the metrics need. */
export interface EvaluationCase {
  imageName: string;
  patientId: string;
  /** Image-level truth: any abnormality record, with or without a centre. */
  abnormal: boolean;
  /** Lesions with a centre or a box (lesion-level truth). */
  lesions: LesionRegion[];
  imageScore: number;
  /** Candidate findings for FROC, scored by their maximum probability. */
  candidates: ScoredFinding[];
  /** Pixel counts at the model's finding threshold against the disc masks. */
  pixels: PixelCounts;
}

export const FROC_FP_RATES = [0.25, 0.5, 1, 2] as const;

export interface EvaluationReport {
  images: number;
  patients: number;
  abnormalImages: number;
  lesions: number;
  imageThreshold: number;
  imageAUC: number;
  imageSensitivity: number;
  imageSpecificity: number;
  froc: FrocPoint[];
  lesionSensitivityAtFP: Record<string, number>;
  lesionSensitivityAt1FP: number;
  pixelPrecision: number;
  pixelRecall: number;
  pixelF1: number;
  lesionIoU: number;
  lesionDice: number;
  /** 95% intervals, bootstrapped over patients. */
  ci: Record<
    'imageAUC' | 'lesionSensitivityAt1FP' | 'lesionDice' | 'imageSensitivity' | 'imageSpecificity',
    ConfidenceInterval
  >;
}

/** Every metric of `mammo evaluate` from the evaluated cases. Pure, so it is tested on its own. */
export function scoreEvaluation(
  cases: readonly EvaluationCase[],
  imageThreshold: number,
  { replicates = 1000, seed = 1 } = {},
): EvaluationReport {
  const aucOf = (sample: readonly EvaluationCase[]) =>
    rocAuc(
      sample.map((c) => c.imageScore),
      sample.map((c) => c.abnormal),
    );
  const operatingOf = (sample: readonly EvaluationCase[]) =>
    sensitivitySpecificity(
      sample.map((c) => c.imageScore),
      sample.map((c) => c.abnormal),
      imageThreshold,
    );
  const frocOf = (sample: readonly EvaluationCase[]) =>
    frocCurve(sample.map((c) => ({ findings: c.candidates, lesions: c.lesions })));
  const diceOf = (sample: readonly EvaluationCase[]) =>
    pixelMetrics(sample.reduce((sum, c) => addPixelCounts(sum, c.pixels), EMPTY_PIXEL_COUNTS)).lesionDice;

  const froc = frocOf(cases);
  const operating = operatingOf(cases);
  const pixels = pixelMetrics(cases.reduce((sum, c) => addPixelCounts(sum, c.pixels), EMPTY_PIXEL_COUNTS));
  const byPatient = new Map<string, EvaluationCase[]>();
  for (const c of cases) byPatient.set(c.patientId, [...(byPatient.get(c.patientId) ?? []), c]);
  const clusters = [...byPatient.values()];
  const interval = (statistic: (sample: EvaluationCase[]) => number) =>
    bootstrapInterval(clusters, statistic, { replicates, seed });

  return {
    images: cases.length,
    patients: clusters.length,
    abnormalImages: cases.filter((c) => c.abnormal).length,
    lesions: cases.reduce((n, c) => n + c.lesions.length, 0),
    imageThreshold,
    imageAUC: aucOf(cases),
    imageSensitivity: operating.sensitivity,
    imageSpecificity: operating.specificity,
    froc,
    lesionSensitivityAtFP: Object.fromEntries(
      FROC_FP_RATES.map((rate) => [String(rate), sensitivityAtFalsePositives(froc, rate)]),
    ),
    lesionSensitivityAt1FP: sensitivityAtFalsePositives(froc, 1),
    pixelPrecision: pixels.precision,
    pixelRecall: pixels.recall,
    pixelF1: pixels.f1,
    lesionIoU: pixels.lesionIoU,
    lesionDice: pixels.lesionDice,
    ci: {
      imageAUC: interval(aucOf),
      imageSensitivity: interval((s) => operatingOf(s).sensitivity),
      imageSpecificity: interval((s) => operatingOf(s).specificity),
      lesionSensitivityAt1FP: interval((s) => sensitivityAtFalsePositives(frocOf(s), 1)),
      lesionDice: interval(diceOf),
    },
  };
}

/** The card's validation block from a report: the headline metrics, the FROC points and the intervals. */
export function cardValidation(
  report: EvaluationReport,
  split: string,
): NonNullable<ModelCard['validation']> {
  return {
    split,
    // Undefined on a set with no normal images: recorded as null (JSON has no NaN).
    imageAUC: Number.isNaN(report.imageAUC) ? null : report.imageAUC,
    imageSensitivity: report.imageSensitivity,
    imageSpecificity: Number.isNaN(report.imageSpecificity) ? null : report.imageSpecificity,
    lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
    pixelF1: report.pixelF1,
    lesionIoU: report.lesionIoU,
    lesionDice: report.lesionDice,
    images: report.images,
    lesionSensitivityAtFP: report.lesionSensitivityAtFP,
    ci: report.ci,
  };
}
