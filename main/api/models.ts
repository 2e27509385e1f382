/** Model versions and their cards, as the UI and CLI see them. */
import type { FindingType } from './annotations.js';

export type ModelStatus = 'current' | 'candidate' | 'retired';

export interface ValidationMetrics {
  /**
   * Null when it is undefined: on a set with no normal images (CBIS-DDSM, where every image holds a
   * mass) there is nothing for an image score to rank against.
   */
  imageAUC: number | null;
  imageSensitivity: number;
  /** Null on a set with no normal images. */
  imageSpecificity: number | null;
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

/** A weights file of a model folder, pinned by its sha256. */
export interface WeightsFile {
  file: string;
  sha256: string;
  dtype: 'float32' | 'float16';
  bytes: number;
}

/** One network: what it is, the spacing and intensities it reads, and its weights. */
export interface NetworkSpec {
  architecture: string;
  widthMultiplier: number;
  /** Scans are resampled to this pixel spacing before inference. */
  inputPixelSpacingMm: number;
  normalisation: InputNormalisation;
  weights: WeightsFile;
  /**
   * The sha256 of the network's topology file (model.json, or a member's own), pinned like the
   * weights: the same weights under another topology are another network. Absent only on cards
   * written before cards recorded it, which load on their weights' sha256 alone (the rule is in
   * registry/modelFolder.ts, pinnedFilesProblem).
   */
  topologySha256?: string;
}

/** What a member network of a model looks for; its findings carry it ('calcification' candidate). */
export type MemberRole = 'mass' | 'calcification' | 'any';
export const MEMBER_ROLES: readonly MemberRole[] = Object.freeze(['mass', 'calcification', 'any']);

/** A member of a multi-member model: one network at its own scale, with its own topology file. */
export interface ModelMember extends NetworkSpec {
  /** Unique within the card; letters, digits, dot, dash and underscore. */
  name: string;
  role: MemberRole;
  /** The member's model.json, relative to the model folder. */
  topology: string;
  /** The member measured alone, when someone did. */
  validation?: (ValidationMetrics & { split: string; [key: string]: unknown }) | null;
}

/**
 * How member maps become the model's one map. 'max': per pixel, the strongest member, so a finding
 * of either kind shows at full strength (an average would halve a lesion only one member sees).
 */
export type MemberCombination = 'max';

/**
 * The model card: what a model version is, what it was trained on and how well it did.
 *
 * A multi-member model lists its networks in `members` (two or more) and how their maps are
 * combined. Its top-level network fields repeat the first member, whose topology is model.json:
 * code that reads one network (training, the analysis scripts) then reads a real one, and the card
 * schema refuses a card where the two differ.
 */
export interface ModelCard extends NetworkSpec {
  id: string;
  parentId: string | null;
  createdAt: string;
  trainingData: { description: string; images: number; patients: number; [key: string]: unknown };
  /** The model as a whole (for a multi-member model: the combined map). */
  validation: (ValidationMetrics & { split: string; [key: string]: unknown }) | null;
  /**
   * The model measured on another site's data that it never trained or tuned on (an external test,
   * e.g. mini-MIAS for a model trained on CBIS-DDSM).
   */
  externalValidation?: (ValidationMetrics & { split: string; [key: string]: unknown }) | null;
  /** Recommended probability thresholds: image-level operating point and finding outlines. */
  thresholds: { image: number; finding: number };
  members?: ModelMember[];
  combination?: MemberCombination;
  /**
   * The finding types the model looks for. Absent: masses only (see detectedFindings.ts), so a card
   * that says nothing never lets silence on calcifications read as clear.
   */
  detects?: FindingType[];
  /**
   * Flip test-time augmentation: the map is the mean of the scan's map and the mirrored map of the
   * mirrored scan (models/EXPERIMENTS.md, E22). Absent: one pass.
   */
  testTimeMirror?: boolean;
  notes?: string;
}

export interface ModelVersion {
  id: string;
  status: ModelStatus;
  /** Where the folder lives: 'shipped' with the app, or 'workspace' for locally trained ones. */
  origin: 'shipped' | 'workspace';
  card: ModelCard;
}

/** The model versions, and which version actions the workspace would accept now. */
export interface ModelList {
  versions: ModelVersion[];
  /** The inference backend of the last analysis. */
  backend: string | null;
  /** Where Roll back would return to, or why there is nothing to roll back to. */
  rollback: { to: string; from: string } | { refusal: string };
  /** For each workspace candidate that cannot be discarded, why (e.g. it is another's parent). */
  discardRefusals: Record<string, string>;
}
