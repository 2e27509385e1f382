/** The structured report and the standard exports, shared by the back end, transports and UI. */
import type { FindingType } from './annotations.js';

/** BI-RADS assessment categories; 4 may be refined to 4A/4B/4C. */
export const BIRADS_CATEGORIES = ['0', '1', '2', '3', '4', '4A', '4B', '4C', '5', '6'] as const;
export type BiRadsCategory = (typeof BIRADS_CATEGORIES)[number];

/** BI-RADS breast composition a (almost entirely fatty) to d (extremely dense). */
export const DENSITY_CATEGORIES = ['a', 'b', 'c', 'd'] as const;
export type DensityCategory = (typeof DENSITY_CATEGORIES)[number];

/**
 * draft: editable. final: signed, read-only. amended: a final report later replaced by a
 * finalised amendment (still read-only, kept for the record).
 */
export type ReportStatus = 'draft' | 'final' | 'amended';

/** Where a finding lies, estimated from one view (see main/reports/findingLocation.ts). */
export type FindingDepth = 'anterior' | 'middle' | 'posterior';
/** One view shows one axis: CC inner/outer, MLO upper/lower; near the nipple axis it is central. */
export type FindingRegion = 'outer' | 'inner' | 'upper' | 'lower' | 'central' | 'retroareolar';

export interface ReportFinding {
  /** 'ai': an AI finding the reader accepted; 'reader': one the reader added. */
  source: 'ai' | 'reader';
  imageId: number;
  /** The AI finding's index in its prediction, for source 'ai'. */
  findingIndex: number | null;
  laterality: 'L' | 'R' | null;
  view: string | null;
  type: FindingType | null;
  /** Clock position 1-12 as seen facing the patient, or null when the finding is central. */
  clock: number | null;
  region: FindingRegion | null;
  depth: FindingDepth | null;
  /** Longest extent in mm, null when unknown (no spacing, or no outline). */
  sizeMm: number | null;
  /** The AI's maximum probability in the finding, 0..1; null for reader-added findings. */
  aiScore: number | null;
  centroidRow: number;
  centroidColumn: number;
  note: string;
}

export interface Report {
  id: number;
  studyId: number;
  /** 1, 2, 3... per study; an amendment is a new version. */
  version: number;
  status: ReportStatus;
  /** The version this one amends, or null for the first report. */
  amendsId: number | null;
  biRads: BiRadsCategory | null;
  density: DensityCategory | null;
  findings: ReportFinding[];
  impression: string;
  reader: string;
  /** Why the report was amended (amendments only). */
  amendmentReason: string | null;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;
}

/** What a report draft may change. */
export interface ReportEdit {
  biRads?: BiRadsCategory | null | undefined;
  density?: DensityCategory | null | undefined;
  findings?: ReportFinding[] | undefined;
  impression?: string | undefined;
  reader?: string | undefined;
}

export const EXPORT_KINDS = ['pdf', 'json', 'seg', 'fractional-seg', 'sr', 'training'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportResult {
  kind: ExportKind;
  /** Absolute paths of the files written. */
  files: string[];
  /** What the export left out or assumed, e.g. images without a saved mask. */
  notes: string[];
}

/** The statement every report and export carries. */
export const DECISION_SUPPORT_STATEMENT =
  'The AI output is decision support from research software (not a medical device, no regulatory clearance); ' +
  'it must not be used for diagnosis or patient management.';
