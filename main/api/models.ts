/** Model versions and their cards, as the UI and CLI see them. */

export type ModelStatus = 'current' | 'candidate' | 'retired';

export interface ValidationMetrics {
  imageAUC: number;
  imageSensitivity: number;
  imageSpecificity: number;
  lesionSensitivityAt1FP: number;
  pixelF1: number;
  lesionIoU: number;
  lesionDice: number;
  images: number;
}

/**
 * Input = (pixel - offset) / scale, pixels being the 8-bit display image. With `perImage:
 * 'breast'` the offset and scale come from each image's breast (see intensityNormalisation.ts).
 */
export interface InputNormalisation {
  offset: number;
  scale: number;
  perImage?: 'breast';
}

/** The model card: what a model version is, what it was trained on and how well it did. */
export interface ModelCard {
  id: string;
  parentId: string | null;
  createdAt: string;
  architecture: string;
  widthMultiplier: number;
  /** Scans are resampled to this pixel spacing before inference. */
  inputPixelSpacingMm: number;
  normalisation: InputNormalisation;
  trainingData: { description: string; images: number; patients: number; [key: string]: unknown };
  validation: (ValidationMetrics & { split: string; [key: string]: unknown }) | null;
  /** Recommended probability thresholds: image-level operating point and finding outlines. */
  thresholds: { image: number; finding: number };
  weights: { file: string; sha256: string; dtype: 'float32' | 'float16'; bytes: number };
  notes?: string;
}

export interface ModelVersion {
  id: string;
  status: ModelStatus;
  /** Where the folder lives: 'shipped' with the app, or 'workspace' for locally trained ones. */
  origin: 'shipped' | 'workspace';
  card: ModelCard;
}
