import { lookup, type LookupTable } from './lut.js';

/** Stored value to modality value (PS3.3 C.11.1): a linear rescale or a Modality LUT. */
export type ModalityTransform =
  | {
      readonly kind: 'rescale';
      readonly slope: number;
      readonly intercept: number;
      readonly rescaleType?: string;
    }
  | { readonly kind: 'lut'; readonly lut: LookupTable };

/** The identity rescale, for images without a modality transform. */
export const IDENTITY_MODALITY: ModalityTransform = { kind: 'rescale', slope: 1, intercept: 0 };

/** Applies the modality transform to one stored value. */
export function applyModality(stored: number, transform: ModalityTransform): number {
  return transform.kind === 'rescale'
    ? stored * transform.slope + transform.intercept
    : lookup(transform.lut, stored);
}
