/** The clinician's corrections: versioned masks and finding decisions. */

export const FINDING_TYPES = ['mass', 'calcification', 'distortion', 'asymmetry'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export interface FindingDecision {
  /** The AI finding's index in the prediction it corrected. */
  findingIndex: number;
  decision: 'accepted' | 'rejected';
}

/**
 * Where a reader-added finding lies, from the outline the reader drew around it, in continuous
 * image coordinates (pixel row r, column c covers r..r+1, c..c+1).
 */
export interface FindingExtent {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** A finding the AI missed, added by the reader (continuous image coordinates, as FindingExtent). */
export interface AddedFinding {
  type: FindingType;
  centroidRow: number;
  centroidColumn: number;
  /** The reader's outline around it; absent when the reader only clicked (its size is then unknown). */
  extent?: FindingExtent | undefined;
  /**
   * The outline itself (x = column, y = row, to a tenth of a pixel): the pixels whose centres lie
   * inside it are the finding's label, painted into the mask when it was added and taken out when
   * it is removed. Absent for a clicked finding and for findings saved before outlines were kept.
   */
  outline?: [number, number][] | undefined;
  /**
   * The pixels its add turned on (inside the outline, off in the mask just before) that are still
   * its own, as runs, row by row: removing the finding turns them off, so the mask inside its
   * outline is again what the reader had before. A later edit that turns one of them on again
   * takes it over (it leaves this list). Absent for a clicked finding and for findings saved before
   * this was kept (their removal takes the outline's pixels but the AI's mask's, as it did).
   */
  painted?: PixelRun[] | undefined;
}

/** Pixels of one image row: [row, first column, length], all integers, length >= 1. */
export type PixelRun = [row: number, column: number, length: number];

export interface AnnotationFindings {
  decisions: FindingDecision[];
  added: AddedFinding[];
}

export interface Annotation {
  id: number;
  imageId: number;
  /** 1, 2, 3... per image; earlier versions stay and can be restored. */
  version: number;
  parentId: number | null;
  author: string;
  createdAt: string;
  /** The model version and threshold of the prediction this corrected, if any. */
  modelId: string | null;
  threshold: number | null;
  /** Workspace-relative 8-bit PNG at the image's resolution, 255 inside. */
  maskPath: string;
  positivePixels: number;
  /** Dice between this mask and the prediction at the threshold: how much the reader changed. */
  correctionDice: number | null;
  findings: AnnotationFindings;
}

/**
 * Unsaved work of one reader on one image, autosaved so a crash loses nothing. Each reader has their
 * own: another reader's save never deletes it.
 */
export interface AnnotationDraft {
  imageId: number;
  /** Whose work it is: the reader's name, '' while they have not given one. */
  reader: string;
  /**
   * The saved version the strokes started from (0: none was saved yet; null: not recorded, for
   * drafts kept from before). When a newer version exists, the draft is reapplied on top of it.
   */
  baseVersion: number | null;
  updatedAt: string;
  /** Base64 8-bit grayscale PNG of the mask being edited (> 0 inside). */
  maskPng: string;
  findings: AnnotationFindings;
  modelId: string | null;
  threshold: number | null;
}

export interface SaveAnnotationRequest {
  imageId: number;
  /** Base64 8-bit grayscale PNG at the image's resolution, > 0 inside. */
  maskPng: string;
  author: string;
  modelId?: string | undefined;
  threshold?: number | undefined;
  parentId?: number | undefined;
  /**
   * The newest version when the reader started editing (0: there was none). When given and the
   * image has a newer version by then, the save is refused (AnnotationConflictError, HTTP 409)
   * rather than silently replacing another reader's version.
   */
  baseVersion?: number | undefined;
  findings: AnnotationFindings;
}

export interface NextCase {
  studyId: number;
  imageId: number;
  strategy: 'uncertainty' | 'random';
  uncertainty: number | null;
}
