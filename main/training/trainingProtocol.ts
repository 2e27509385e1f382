import type { ModelCard } from '../api/models.js';
import type { LesionRegion } from '../evaluation/froc.js';
import type { EvaluationReport } from '../evaluation/scoreEvaluation.js';
import type { CardWithoutWeights } from '../registry/modelFolder.js';
import type { TrainingConfig } from './trainingConfig.js';
import type { CaseReport } from './validateOnSamples.js';

/** One validation sample a training job scores. */
export interface ValidationSample {
  /** The RGB PNG: scan in R, mask in G. */
  path: string;
  patientId: string;
  /**
   * The lesions a peak must hit, in the sample's pixels: the imported ground truth's boxes and
   * circles (see lesionsInSample), as `mammo evaluate` counts them. Absent for a reader's
   * correction: its lesions are the pieces of the sample's mask, each in its enclosing circle.
   */
  lesions?: LesionRegion[];
}

/** Everything a training worker needs; paths only, so it can run in any thread or process. */
export interface TrainingJobSpec {
  config: TrainingConfig;
  /** RGB training PNGs (train split only). */
  trainSamples: string[];
  /** Whole-scan RGB PNGs of the validation split, with their patients (for the bootstrap). */
  validationSamples: ValidationSample[];
  /** Pixel spacing of the samples, mm. */
  sampleSpacingMm: number;
  /** Start from this model version (fine-tuning), or from scratch when null. */
  initialModel: { folder: string; card: ModelCard } | null;
  /** Checkpoints go here; an existing checkpoint is resumed. */
  checkpointDir: string;
  /** The finished model is saved as a model folder here. */
  outputFolder: string;
  /** The card of the result, less what training fills in (weights, validation). */
  card: Omit<CardWithoutWeights, 'validation'>;
  /**
   * Threads that compute the batch's shares (this one and replica workers); at most
   * `config.replicas`. Default: one per share, at most one per core. Does not change the result.
   */
  threads?: number;
}

export interface TrainingProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  size: number;
  loss: number;
  learningRate: number;
  samplesPerSecond: number;
  etaSeconds: number;
  /** Present on the steps where the validation split was evaluated. */
  validation?: Pick<EvaluationReport, 'imageAUC' | 'lesionSensitivityAt1FP' | 'lesionDice' | 'pixelF1'>;
}

export interface TrainingResult {
  card: ModelCard;
  steps: number;
  finalLoss: number;
  /** Training loss at the first and last steps of this run, to show it went down. */
  lossHistory: { step: number; loss: number }[];
  /** The result on the validation split (null without validation samples). */
  validation: CaseReport | null;
  /** The starting model on the same split, measured before training (fine-tuning only). */
  parentValidation: CaseReport | null;
}
