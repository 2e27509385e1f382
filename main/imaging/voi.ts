import { lookup, lutMaxOutput, type LookupTable } from './lut.js';

/** VOI LUT Function (0028,1056) values defined by PS3.3 C.11.2.1.3. */
export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/** One Window Center / Window Width pair. */
export interface WindowSetting {
  readonly center: number;
  readonly width: number;
  readonly explanation?: string;
}

/** Where the applied VOI came from; reported back so that the UI can say what it shows. */
export type VoiSource =
  /** VOI LUT Sequence (0028,3010). */
  | 'lut'
  /** Window Center/Width from the file. */
  | 'window'
  /** The caller's window. */
  | 'override'
  /** No VOI in the file: the full range of modality values present. */
  | 'minmax'
  /** PNG/PGM: 0 .. maxval of the format. */
  | 'maxval';

/** A chosen VOI transform: a window with its function, or a LUT. */
export type VoiTransform =
  | {
      readonly kind: 'window';
      readonly center: number;
      readonly width: number;
      readonly function: VoiLutFunction;
      readonly source: VoiSource;
    }
  | { readonly kind: 'lut'; readonly lut: LookupTable; readonly source: 'lut' };

/** Which VOI the caller prefers; a missing preferred source falls back to the other, then min/max. */
export type VoiPreference = 'auto' | 'window' | 'lut';

/** Parses VOI LUT Function; absent or unknown values mean LINEAR, as the standard defaults. */
export function parseVoiLutFunction(value: string | undefined): VoiLutFunction {
  const clean = value?.trim().toUpperCase();
  return clean === 'LINEAR_EXACT' || clean === 'SIGMOID' ? clean : 'LINEAR';
}

/**
 * LINEAR window (PS3.3 C.11.2.1.2.1) as a fraction of the output range, 0 .. 1.
 * Widths below 1 are not allowed by the standard and are treated as 1 (a threshold at center - 0.5).
 */
export function windowLinear(x: number, center: number, width: number): number {
  const w = Math.max(1, width);
  const c = center - 0.5;
  const half = (w - 1) / 2;
  if (x <= c - half) return 0;
  if (x > c + half) return 1;
  return (x - c) / (w - 1) + 0.5;
}

/** LINEAR_EXACT window (PS3.3 C.11.2.1.3.2) as a fraction 0 .. 1; a non-positive width is a threshold at center. */
export function windowLinearExact(x: number, center: number, width: number): number {
  if (width <= 0) return x <= center ? 0 : 1;
  if (x <= center - width / 2) return 0;
  if (x > center + width / 2) return 1;
  return (x - center) / width + 0.5;
}

/** SIGMOID window (PS3.3 C.11.2.1.3.1) as a fraction 0 .. 1. */
export function windowSigmoid(x: number, center: number, width: number): number {
  if (width <= 0) return x < center ? 0 : x > center ? 1 : 0.5;
  return 1 / (1 + Math.exp((-4 * (x - center)) / width));
}

/** A VOI LUT's output as a fraction of the range its descriptor declares, clamped to 0 .. 1. */
export function voiLutFraction(lut: LookupTable, x: number): number {
  const fraction = lookup(lut, x) / lutMaxOutput(lut);
  return fraction > 1 ? 1 : fraction;
}

/** Applies any VOI transform to one modality value; returns a fraction 0 .. 1 of the display range. */
export function applyVoi(x: number, voi: VoiTransform): number {
  if (voi.kind === 'lut') return voiLutFraction(voi.lut, x);
  switch (voi.function) {
    case 'LINEAR':
      return windowLinear(x, voi.center, voi.width);
    case 'LINEAR_EXACT':
      return windowLinearExact(x, voi.center, voi.width);
    case 'SIGMOID':
      return windowSigmoid(x, voi.center, voi.width);
  }
}

/** A window that maps `min` to black and `max` to white. */
export function rangeWindow(min: number, max: number, source: 'minmax' | 'maxval'): VoiTransform {
  return {
    kind: 'window',
    center: (min + max) / 2,
    width: Math.max(max - min, Number.EPSILON),
    function: 'LINEAR_EXACT',
    source,
  };
}

/** What the file offers for VOI, as read by `readDisplayAttributes`. */
export interface VoiCandidates {
  readonly windows: readonly WindowSetting[];
  readonly voiLutFunction: VoiLutFunction;
  readonly voiLuts: readonly LookupTable[];
}

/** Caller's choices for VOI selection. */
export interface VoiOptions {
  /** Preferred source; default 'auto' (VOI LUT Sequence, then window, then min/max). */
  readonly voiSource?: VoiPreference;
  /** A window that overrides whatever the file says. */
  readonly window?: { readonly center: number; readonly width: number };
  /** Function for the override window; default the file's VOI LUT Function. */
  readonly voiLutFunction?: VoiLutFunction;
  /** Which of several windows / LUTs in the file to use; default 0 (the first). */
  readonly voiIndex?: number;
}

/**
 * Picks the VOI transform: an override window wins; otherwise the preferred source if the file
 * has it, else the other source, else the range of modality values present.
 *
 * @param modalityRange - min/max modality values of the image, for the fallback.
 */
export function selectVoi(
  candidates: VoiCandidates,
  options: VoiOptions,
  modalityRange: { min: number; max: number },
): VoiTransform {
  if (options.window) {
    return {
      kind: 'window',
      center: options.window.center,
      width: options.window.width,
      function: options.voiLutFunction ?? candidates.voiLutFunction,
      source: 'override',
    };
  }
  const index = options.voiIndex ?? 0;
  const fromLut = (): VoiTransform | undefined => {
    const lut = candidates.voiLuts[index] ?? candidates.voiLuts[0];
    return lut ? { kind: 'lut', lut, source: 'lut' } : undefined;
  };
  const fromWindow = (): VoiTransform | undefined => {
    const w = candidates.windows[index] ?? candidates.windows[0];
    return w
      ? {
          kind: 'window',
          center: w.center,
          width: w.width,
          function: candidates.voiLutFunction,
          source: 'window',
        }
      : undefined;
  };
  const order = options.voiSource === 'window' ? [fromWindow, fromLut] : [fromLut, fromWindow];
  for (const pick of order) {
    const voi = pick();
    if (voi) return voi;
  }
  return rangeWindow(modalityRange.min, modalityRange.max, 'minmax');
}
