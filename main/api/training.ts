/** The training loop's records, shared with the UI. */

export type SampleSplit = 'train' | 'validation';

export interface TrainingSample {
  id: number;
  imageId: number;
  patientId: string;
  split: SampleSplit;
  /** A whole scan, or a crop centred on an abnormality (against class imbalance). */
  kind: 'full' | 'roi-crop';
  labelSource: 'ground-truth' | 'annotation';
  annotationId: number | null;
  annotationVersion: number | null;
  author: string;
  /** Workspace-relative path of the RGB PNG: scan in R, mask (255 inside) in G, black B. */
  path: string;
  sha256: string;
  rows: number;
  columns: number;
  pixelSpacingMm: number;
  positivePixels: number;
  createdAt: string;
  learnedByModel: string | null;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Live progress of a training run. */
export interface TrainingProgressInfo {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

/** The verdict of comparing a candidate with the current model on the fixed validation split. */
export interface PromotionGateResult {
  promoted: boolean;
  reason: string;
  tolerance: number;
  current: { modelId: string; imageAUC: number; lesionSensitivityAt1FP: number; lesionDice: number } | null;
  candidate: { modelId: string; imageAUC: number; lesionSensitivityAt1FP: number; lesionDice: number };
}

/** A background fine-tune: current model + new corrections (and a replay of older samples) -> a candidate. */
export interface FineTuneJob {
  id: number;
  status: JobStatus;
  parentModel: string | null;
  candidateModel: string | null;
  steps: number;
  sampleIds: number[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: TrainingProgressInfo | null;
  lossHistory?: { step: number; loss: number }[];
  gate: PromotionGateResult | null;
  error: string | null;
}
