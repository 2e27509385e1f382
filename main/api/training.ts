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

/** An image left out of pixel training. */
export interface ExcludedImage {
  imageId: number;
  /** Patient, side and view, e.g. "MIAS-108 L MLO". */
  image: string;
  reason: string;
}

/** What building training samples from a data set's ground truth did. */
export interface TrainingSetReport {
  /** Samples written (whole scans and crops). */
  added: number;
  /** Images that already had their ground-truth samples. */
  skipped: number;
  /**
   * Images left out of pixel training, with the reason: e.g. an abnormal image whose record has
   * no lesion centre, whose mask would wrongly say that nothing is abnormal.
   */
  excluded: ExcludedImage[];
  errors: { file: string; reason: string }[];
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
