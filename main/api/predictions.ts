/** What the AI produced for an image or a study. */
import type { MemberRole } from './models.js';

/**
 * A finding: a peak of the lesion-scale smoothed probability map at or above the finding
 * threshold, outlined where the map stays above max(threshold, half its maximum at the peak).
 */
export interface Finding {
  /** 1-based, in order of decreasing maximum probability. */
  index: number;
  centroidColumn: number;
  centroidRow: number;
  /** Inclusive pixel bounds in the image's own pixels. */
  bounds: { top: number; left: number; bottom: number; right: number };
  areaPixels: number;
  /** Null when the image's pixel spacing is unknown. */
  areaMm2: number | null;
  maxProbability: number;
  meanProbability: number;
  /**
   * For a multi-member model: the member whose map gave the finding's strongest pixel, and what
   * that member looks for (a 'calcification' or 'mass' candidate). Absent for a single network.
   */
  source?: FindingSource;
}

export interface FindingSource {
  member: string;
  role: MemberRole;
}

export interface Prediction {
  imageId: number;
  modelId: string;
  backend: string;
  createdAt: string;
  /** The image's abnormality score: the strongest peak of the lesion-scale smoothed map, 0..1. */
  imageScore: number;
  /** Mean binary entropy of the map over the breast (bits): how unsure the model is. */
  uncertainty: number;
  /** Threshold the findings were outlined at. */
  findingThreshold: number;
  findings: Finding[];
  /** Workspace-relative path of the probability map: 8-bit PNG, 255 = probability 1, image resolution. */
  mapPath: string;
  rows: number;
  columns: number;
  /** True when the image had no pixel spacing and a typical detector height was assumed. */
  spacingAssumed: boolean;
  timingsMs: { decode: number; inference: number; total: number };
}

/** Scores of a whole study: per breast (max over its images) and overall. */
export interface StudyAnalysis {
  studyId: number;
  modelId: string;
  backend: string;
  predictions: Prediction[];
  breastScores: { L: number | null; R: number | null };
  studyScore: number | null;
}

export interface AnalysisProgress {
  imageId: number;
  /** Tiles done of tiles total for the image being analysed. */
  done: number;
  total: number;
}
