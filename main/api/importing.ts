/** Types of an import batch: the request, its progress and its result. */
import type { StudySummary } from './domain.js';
import type { TrainingSetReport } from './training.js';

/** `mias` and `cbis-ddsm` are labelled research data sets in their published layouts. */
export type ImportFormat = 'dicom' | 'mias' | 'cbis-ddsm';

export interface ImportRequest {
  /** Files or folders; folders are scanned recursively. */
  paths: string[];
  format: ImportFormat;
}

export interface ImportError {
  file: string;
  reason: string;
  /**
   * The file is not DICOM at all (a README, a PNG): reported, but not a failed DICOM import. Set only
   * by DICOM imports.
   */
  notDicom?: true;
}

export interface ImportProgress {
  done: number;
  total: number;
  /** The file just finished. */
  file: string;
  outcome: 'imported' | 'skipped' | 'error';
}

export interface ImportResult {
  imported: number;
  skipped: number;
  errors: ImportError[];
  /** The studies touched by this batch, as the worklist shows them. */
  studies: StudySummary[];
  /**
   * Set when files refused as DICOM look like another format's (mini-MIAS image names): the import
   * would succeed with that format.
   */
  suggestedFormat?: ImportFormat;
  /** A labelled data set's (mini-MIAS) ground truth turned into training samples; absent for DICOM. */
  trainingSet?: TrainingSetReport;
}
