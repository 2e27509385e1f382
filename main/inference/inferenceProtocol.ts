import type { Finding } from '../api/predictions.js';
import type { ModelCard } from '../api/models.js';

/** What an inference worker is asked to do: one image, one model version. */
export interface InferenceRequest {
  /** Absolute path of the DICOM, PNG or PGM file. */
  filePath: string;
  /** From the image's record; null when unknown (a typical detector height is then assumed). */
  pixelSpacingMm: [number, number] | null;
  modelFolder: string;
  card: ModelCard;
  /** Backend preference passed to selectBackend ('auto' by default). */
  backend?: string;
  tileSize: number;
  overlap: number;
  /** At most this many findings (INFERENCE_DEFAULTS.maxFindingsPerImage when absent). */
  maxFindings?: number;
}

export interface InferenceResult {
  rows: number;
  columns: number;
  /** 8-bit grayscale PNG of the probability map (255 = 1.0) at the image's resolution. */
  mapPng: Uint8Array;
  imageScore: number;
  findings: Finding[];
  findingThreshold: number;
  /** Mean binary entropy of the map over the breast, for "least sure first" case selection. */
  uncertainty: number;
  backend: string;
  spacingAssumed: boolean;
  timingsMs: { decode: number; inference: number; total: number };
}

export interface InferenceProgress {
  done: number;
  total: number;
}

/** Defaults of whole-scan prediction. */
export const INFERENCE_DEFAULTS = Object.freeze({
  tileSize: 512,
  overlap: 64,
  /** Regions smaller than this many mm^2 are not findings. */
  minFindingAreaMm2: 4,
  /** At most this many findings per image, strongest first. */
  maxFindingsPerImage: 4,
});
