/** The training loop's records, shared with the UI. */
import type { FindingType } from './annotations.js';

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
  /**
   * The model of the current model's lineage (itself or an ancestor) that trained on it; null when
   * the current model never learned it (e.g. only a rolled-back candidate did).
   */
  learnedByModel: string | null;
}

/** An image whose imported ground truth a reader's newer correction replaces in a fine-tune. */
export interface SupersededLabel {
  imageId: number;
  annotationId: number | null;
  annotationVersion: number | null;
  /** The reader whose correction won. */
  author: string;
  /** Who labelled the ground truth it replaces (e.g. mini-MIAS, CBIS-DDSM). */
  groundTruthAuthor: string;
  groundTruthSampleIds: number[];
}

/**
 * Imported ground truth a fine-tune leaves out because it marks a lesion type the parent model does
 * not detect (its card's `detects`): a masses-only model is not taught circles drawn around
 * calcifications, distortions or asymmetries. Such an image is neither learned, replayed nor judged
 * on, and it is not a normal image either (the lesion is there). A reader's correction is always
 * learned: the reader said it.
 */
export interface LeftOutGroundTruth {
  /** Training-split images left out (not learned, not replayed). */
  train: number;
  /** Validation-split images left out of what judges the candidate. */
  validation: number;
  /** Images left out by the finding type that left them out ('unknown' for a class no type names). */
  byType: Record<string, number>;
  /** The finding types the model detects, which left the others out (absent in older jobs' verdicts). */
  detects?: FindingType[];
  /** One sentence for the plan, the job's verdict and its log. */
  reason: string;
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

/** One metric of the promotion gate on one validation set: both models on the same images. */
export interface GateComparison {
  metric: 'imageAUC' | 'lesionSensitivityAt1FP' | 'lesionDice';
  candidate: number;
  current: number;
  /** Candidate minus current; absent when the metric was skipped. */
  difference?: number;
  /** 95% interval of the difference, paired bootstrap over patients. */
  interval?: { low: number; high: number };
  /** The whole interval lies below zero: worse beyond noise. */
  worse?: boolean;
  /** Why the metric could not be compared (e.g. image AUC on a set with no normal image). */
  skipped?: string;
}

/** The gate on one validation set: the site's data, or the parent's (where forgetting shows). */
export interface GateSetVerdict {
  /** The data set the images come from (a study source, e.g. 'mias', 'cbis-ddsm'). */
  name: string;
  role: 'site' | 'parent';
  images: number;
  patients: number;
  /** Lesions of those images that the sensitivity counts (absent in older jobs). */
  lesions?: number;
  comparisons: GateComparison[];
}

/** The verdict of comparing a candidate with the current model on the fixed validation split. */
export interface PromotionGateResult {
  /** No metric is worse beyond noise on any validation set (older jobs: absent, read `promoted`). */
  passed?: boolean;
  /** The candidate was made current by the gate itself (only with automatic promotion asked for). */
  promoted: boolean;
  /** One sentence: why it passed or failed, with the numbers. */
  reason: string;
  /** The fixed margin of older gates; absent since the gate compares with intervals. */
  tolerance?: number;
  /**
   * Where the current model's figures come from: measured on this workspace's validation split
   * (absent in older jobs), or, when the workspace has no validation patients, copied from the
   * parent model's card (its own validation set; the candidate could not be measured on it here).
   */
  reference?: 'workspace' | 'parent-card';
  /** Imported ground truth the fine-tune left out (lesion types the parent does not detect); absent when none. */
  leftOut?: LeftOutGroundTruth;
  /**
   * What both models were measured on, in words, and how that differs from a model card's figures
   * (absent in older jobs and when the reference is the parent's card).
   */
  measuredOn?: string;
  /** Each validation set's paired comparison (absent in older jobs). */
  sets?: GateSetVerdict[];
  current: { modelId: string; imageAUC: number; lesionSensitivityAt1FP: number; lesionDice: number } | null;
  candidate: { modelId: string; imageAUC: number; lesionSensitivityAt1FP: number; lesionDice: number };
}

/** How many images and training samples one kind of label contributes. */
export interface LabelCount {
  images: number;
  samples: number;
}

/** What a fine-tune would do if started now: what it learns from, and what judges the result. */
export interface FineTunePlan {
  parentModel: string | null;
  /** The steps a fine-tune runs when not told otherwise (`mammo finetune` without --steps, the page's field). */
  steps: number;
  /** New labels no model has learned: the reader's saved corrections and imported ground truth. */
  corrections: LabelCount;
  groundTruth: LabelCount;
  /** Learned samples replayed beside the new ones, so the model does not forget them. */
  replay: number;
  /** Images where a reader's correction replaces the imported ground truth (one label per image). */
  superseded: number;
  /** Imported ground truth of lesion types the parent does not detect, left out; null when none. */
  leftOut: LeftOutGroundTruth | null;
  /**
   * What the candidate is judged on: this workspace's validation patients (the candidate and the
   * current model measured on them); without any, the parent's card (the validation metrics it
   * ships with: the candidate stays a candidate); or nothing at all.
   */
  judgedOn:
    | { kind: 'workspace'; patients: number; images: number }
    | {
        kind: 'parent-card';
        split: string;
        images: number;
        imageAUC: number;
        lesionSensitivityAt1FP: number;
      }
    | { kind: 'nothing' };
  /** Why a fine-tune cannot start now (nothing to learn, no model); null when it can. */
  refusal: string | null;
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
  /** Training loss by step, kept with the job so a reloaded page can draw it. */
  lossHistory?: { step: number; loss: number }[];
  gate: PromotionGateResult | null;
  error: string | null;
}
