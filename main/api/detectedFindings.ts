/** What a model looks for, from its card, and how a reader is told: shared by the AI panel and the report. */
import { FINDING_TYPES, type FindingType } from './annotations.js';
import type { ModelCard } from './models.js';

/**
 * What every model before the card field existed was trained on: masses. A card that says nothing
 * is read as masses only, so that silence on calcifications is never taken for a clear result.
 */
export const DEFAULT_DETECTS: readonly FindingType[] = Object.freeze(['mass']);

/** Each finding type in words, plural: how a reader is told what a model looks for. */
export const FINDING_TYPE_PLURALS: Readonly<Record<FindingType, string>> = {
  mass: 'masses',
  calcification: 'calcifications',
  distortion: 'architectural distortions',
  asymmetry: 'asymmetries',
};

/** Each finding type in words, singular (one of them counted). */
export const FINDING_TYPE_NAMES: Readonly<Record<FindingType, string>> = {
  mass: 'mass',
  calcification: 'calcification',
  distortion: 'architectural distortion',
  asymmetry: 'asymmetry',
};

/** The finding types a model looks for, in FINDING_TYPES order: its card's `detects`, else masses only. */
export function detectedFindingTypes(card: Pick<ModelCard, 'detects'>): FindingType[] {
  const listed = new Set(card.detects?.length ? card.detects : DEFAULT_DETECTS);
  return FINDING_TYPES.filter((type) => listed.has(type));
}

/**
 * The finding type of an imported ground-truth record, in a card's vocabulary, from its data set's
 * abnormality class (mini-MIAS: CALC; CIRC, SPIC and MISC are masses; ARCH, ASYM; CBIS-DDSM: MASS,
 * CALC). Null for a class that names no lesion type (NORM, or one no data set here uses).
 */
export function groundTruthFindingType(abnormalityClass: string): FindingType | null {
  switch (abnormalityClass.toUpperCase()) {
    case 'CIRC':
    case 'SPIC':
    case 'MISC':
    case 'MASS':
      return 'mass';
    case 'CALC':
      return 'calcification';
    case 'ARCH':
      return 'distortion';
    case 'ASYM':
      return 'asymmetry';
    default:
      return null;
  }
}

/** Words joined as a sentence lists them: 'a', 'a and b', 'a, b and c'. */
export function wordList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * One sentence for the reader: what the model detects and what it does not look for.
 *
 * @example
 * detectionScope(['mass']);
 * // 'Detects masses only. Calcifications, architectural distortions and asymmetries are not
 * //  looked for: the absence of an AI mark says nothing about them.'
 */
export function detectionScope(types: readonly FindingType[]): string {
  const missing = FINDING_TYPES.filter((type) => !types.includes(type));
  const detected = wordList(types.map((type) => FINDING_TYPE_PLURALS[type]));
  if (missing.length === 0) return `Detects ${detected}.`;
  const absent = wordList(missing.map((type) => FINDING_TYPE_PLURALS[type]));
  return (
    `Detects ${detected}${types.length === 1 ? ' only' : ''}. ` +
    `${absent[0]!.toUpperCase()}${absent.slice(1)} ${missing.length === 1 ? 'is' : 'are'} not looked for: ` +
    `the absence of an AI mark says nothing about ${missing.length === 1 ? 'it' : 'them'}.`
  );
}
