import { sha256Hex } from '../common/sha256.js';

export type Split = 'train' | 'validation';

/** Share of patients held out for validation. */
export const VALIDATION_FRACTION = 0.25;

/**
 * The split a patient belongs to, fixed forever by a hash of the patient id: it never changes
 * between runs or machines, so a validation patient can never leak into training.
 */
export function patientSplit(patientId: string, validationFraction = VALIDATION_FRACTION): Split {
  const bucket = Number.parseInt(sha256Hex(`mammo-split-v1:${patientId}`).slice(0, 8), 16) / 2 ** 32;
  return bucket < validationFraction ? 'validation' : 'train';
}

/**
 * Recipe development never looks at the validation split: it holds out a quarter of the TRAINING
 * patients ('tune', by a second fixed hash) and fits on the rest ('fit'). The validation split is
 * measured once, for the model that ships.
 */
export function developmentSplit(patientId: string): 'fit' | 'tune' {
  const bucket = Number.parseInt(sha256Hex(`mammo-dev-split-v1:${patientId}`).slice(0, 8), 16) / 2 ** 32;
  return bucket < VALIDATION_FRACTION ? 'tune' : 'fit';
}
