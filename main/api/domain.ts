/**
 * Domain types for what was imported. Shared by the back end, the transports and the renderer,
 * so this file has no Node or DOM imports.
 */

export type Laterality = 'L' | 'R' | 'B';

/**
 * Where an image's pixel spacing came from; `null` spacing means unknown and flagged. `estimated`:
 * derived from what is known of the data set, not measured (`Image.pixelSpacingNote` says how).
 */
export type PixelSpacingSource = 'PixelSpacing' | 'ImagerPixelSpacing' | 'nominal' | 'estimated';

export type PresentationIntent = 'FOR PRESENTATION' | 'FOR PROCESSING';

/** How the file is stored: DICOM Part 10, or a raster from a research data set (mini-MIAS). */
export type ImageFormat = 'dicom' | 'png' | 'pgm';

/** How a study came in: DICOM, or a labelled research data set. */
export type StudySource = 'dicom' | 'mias' | 'cbis-ddsm';

export interface Patient {
  id: number;
  patientId: string;
  name: string | null;
  birthDate: string | null;
  sex: string | null;
}

export interface Study {
  id: number;
  studyUid: string;
  patient: Patient;
  studyDate: string | null;
  accessionNumber: string | null;
  description: string | null;
  source: StudySource;
  importedAt: string;
}

export interface Series {
  id: number;
  seriesUid: string;
  studyId: number;
  modality: string;
  seriesNumber: number | null;
  description: string | null;
  bodyPart: string | null;
}

export interface Image {
  id: number;
  sopInstanceUid: string;
  sopClassUid: string | null;
  seriesId: number;
  studyId: number;
  instanceNumber: number | null;
  laterality: Laterality | null;
  /** ViewPosition or the view code's meaning, e.g. CC, MLO, ML, XCCL. */
  view: string | null;
  presentationIntent: PresentationIntent | null;
  /** False for "For Processing" images: imported, never displayed. */
  forDisplay: boolean;
  photometric: string;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  rows: number;
  columns: number;
  /** [row spacing, column spacing] in mm, or null when unknown. */
  pixelSpacingMm: [number, number] | null;
  pixelSpacingSource: PixelSpacingSource | null;
  /** How an `estimated` spacing was derived (shown beside it, so a guess never looks measured). */
  pixelSpacingNote?: string;
  windowCenter: number | null;
  windowWidth: number | null;
  voiLutFunction: string | null;
  hasVoiLutSequence: boolean;
  transferSyntaxUid: string | null;
  format: ImageFormat;
  /** Path relative to the workspace root. */
  path: string;
  sha256: string;
  fileSize: number;
}

/** A ground-truth circle from a research data set, in image pixels (row counted from the top). */
export interface GroundTruthCircle {
  centerColumn: number;
  centerRow: number;
  radius: number;
}

/** A ground-truth box in image pixels: columns from the left, rows from the top. */
export interface GroundTruthBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What a data set's case table says of a finding (CBIS-DDSM); absent for mini-MIAS. */
export interface GroundTruthDetails {
  /** Who drew the label: the data set's curators. */
  author: string;
  /** MALIGNANT, BENIGN, BENIGN_WITHOUT_CALLBACK; null when the image holds findings of both and which box is which is not recorded. */
  pathology: string | null;
  /** BI-RADS breast density 1-4. */
  breastDensity: number | null;
  /** BI-RADS assessment category. */
  assessment: number | null;
  /** 1 (subtle) to 5 (obvious). */
  subtlety: number | null;
  massShape: string | null;
  massMargins: string | null;
  /** The data set's own split; an official `test` split is reserved for evaluation, never trained on. */
  officialSplit: 'train' | 'test';
}

export interface GroundTruthFinding {
  id: number;
  imageId: number;
  /** MIAS class: CALC, CIRC, SPIC, MISC, ARCH, ASYM; CBIS-DDSM: MASS. */
  abnormalityClass: string;
  severity: 'B' | 'M' | null;
  /**
   * Null when the record has no centre (e.g. widely spread calcifications): image-level only. A box
   * or outline finding carries the circle that encloses it, so centre-based readers still work.
   */
  circle: GroundTruthCircle | null;
  /** A bounding box (CBIS-DDSM): the lesion is taken to be the ellipse inscribed in it. */
  box?: GroundTruthBox;
  /** A real outline: workspace-relative path of a mask PNG the image's size, > 0 inside (CBIS-DDSM ROI masks). */
  outlinePath?: string;
  details?: GroundTruthDetails;
  source: string;
}

/** One row of the worklist. */
export interface StudySummary {
  id: number;
  studyUid: string;
  patientId: string;
  patientName: string | null;
  studyDate: string | null;
  description: string | null;
  source: StudySource;
  /** Views present as laterality + view, e.g. RCC, LMLO. */
  views: string[];
  imageCount: number;
  importedAt: string;
  /** Modalities of the study's series, e.g. ['MG']. */
  modalities: string[];
  accessionNumber: string | null;
  /** The newest report's status, or `unread` when the study has none. */
  review: 'unread' | 'draft' | 'final' | 'amended';
  /**
   * The highest image score of the study's stored analysis by the model that analysed it last,
   * or null when it was never analysed (so the worklist shows analysed studies across sessions).
   */
  aiScore: number | null;
  /**
   * The operating point (recommended image threshold) on the card of the model behind `aiScore`,
   * or null without one: a case score at or above it is a positive call.
   */
  aiOperatingPoint: number | null;
}

export interface StudyDetail {
  study: Study;
  series: Series[];
  images: Image[];
  groundTruth: GroundTruthFinding[];
}
