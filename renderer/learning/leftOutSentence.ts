import { FINDING_TYPES, type FindingType } from '../../main/api/annotations.js';
import { FINDING_TYPE_NAMES, FINDING_TYPE_PLURALS, wordList } from '../../main/api/detectedFindings.js';
import type { LeftOutGroundTruth } from '../../main/api/training.js';

/**
 * What a fine-tune leaves out, in a clinician's words: how many images, of which lesion types, and
 * which types the model detects (absent in verdicts from before the back end said so).
 *
 * @example
 * leftOutSentence({ train: 3, validation: 1, byType: { calcification: 2, distortion: 1, asymmetry: 1 }, detects: ['mass'], reason: '' });
 * // '4 images left out: 2 calcifications, 1 architectural distortion and 1 asymmetry — this model
 * //  detects masses only. They are neither learned nor judged on (3 training, 1 validation), and not
 * //  taken as normal images: the lesion is there.'
 */
export function leftOutSentence(leftOut: LeftOutGroundTruth): string {
  const images = leftOut.train + leftOut.validation;
  const types = [...FINDING_TYPES, 'unknown'].filter((type) => leftOut.byType[type]);
  const counted = types.map((type) => countOf(type, leftOut.byType[type]!));
  const detects = leftOut.detects?.length
    ? ` — this model detects ${wordList(leftOut.detects.map((type) => FINDING_TYPE_PLURALS[type]))} only`
    : '';
  return (
    `${images} image${images === 1 ? '' : 's'} left out: ${wordList(counted)}${detects}. ` +
    `${images === 1 ? 'It is' : 'They are'} neither learned nor judged on (${leftOut.train} training, ` +
    `${leftOut.validation} validation), and not taken as normal images: the lesion is there.`
  );
}

function countOf(type: string, count: number): string {
  if (type === 'unknown') return `${count} lesion${count === 1 ? '' : 's'} of an unknown class`;
  const finding = type as FindingType;
  return `${count} ${count === 1 ? FINDING_TYPE_NAMES[finding] : FINDING_TYPE_PLURALS[finding]}`;
}
