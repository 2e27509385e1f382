import { sha256Hex } from '../common/sha256.js';

export type Split = 'train' | 'validation';

/** Share of patients held out for validation (mini-MIAS and the workspace's own patients). */
export const VALIDATION_FRACTION = 0.25;

/**
 * CBIS-DDSM holds out a fifth: with 691 patients that is about 138 validation patients, enough for
 * narrow intervals, and leaves more to learn from.
 */
export const CBIS_VALIDATION_FRACTION = 0.2;

/** The validation share of a patient's data set, told by the patient id the importer gave it. */
export function validationFractionOf(patientId: string): number {
  return patientId.startsWith('CBIS-DDSM-') ? CBIS_VALIDATION_FRACTION : VALIDATION_FRACTION;
}

/**
 * The split a patient belongs to, fixed forever by a hash of the patient id: it never changes
 * between runs or machines, so a validation patient can never leak into training.
 */
export function patientSplit(patientId: string, validationFraction = VALIDATION_FRACTION): Split {
  const bucket = Number.parseInt(sha256Hex(`mammo-split-v1:${patientId}`).slice(0, 8), 16) / 2 ** 32;
  return bucket < validationFraction ? 'validation' : 'train';
}

/** Folds of the training patients for recipe development (cross-validation). */
export const DEVELOPMENT_FOLDS = 4;

/** A training patient's development fold, 0..3, fixed by a second hash (independent of the split). */
export function developmentFold(patientId: string): number {
  const bucket = Number.parseInt(sha256Hex(`mammo-dev-split-v1:${patientId}`).slice(0, 8), 16) / 2 ** 32;
  return Math.floor(bucket * DEVELOPMENT_FOLDS);
}

/**
 * Recipe development never looks at the validation split: it holds out one fold (a quarter) of
 * the TRAINING patients ('tune') and fits on the rest ('fit'). Fold 0 is the development split;
 * folds 0-3 in turn are a 4-fold cross-validation. The validation split is measured once, for the
 * model that ships.
 */
export function developmentSplit(patientId: string, fold = 0): 'fit' | 'tune' {
  return developmentFold(patientId) === fold ? 'tune' : 'fit';
}
