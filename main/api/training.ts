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
