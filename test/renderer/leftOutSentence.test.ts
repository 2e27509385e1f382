import { describe, expect, it } from 'vitest';
import { leftOutSentence } from '../../renderer/learning/leftOutSentence.js';

describe('leftOutSentence (the learning page’s plain words for what a fine-tune leaves out)', () => {
  it('counts the images and each lesion type, and says what the model detects', () => {
    expect(
      leftOutSentence({
        train: 30,
        validation: 7,
        byType: { asymmetry: 10, calcification: 17, distortion: 10 },
        detects: ['mass'],
        reason: 'the back end’s sentence, not shown here',
      }),
    ).toBe(
      '37 images left out: 17 calcifications, 10 architectural distortions and 10 asymmetries — this model detects masses only. ' +
        'They are neither learned nor judged on (30 training, 7 validation), and not taken as normal images: the lesion is there.',
    );
  });

  it('says one in the singular, an unknown class plainly, and leaves out what an older verdict did not record', () => {
    expect(leftOutSentence({ train: 0, validation: 1, byType: { unknown: 1 }, reason: '' })).toBe(
      '1 image left out: 1 lesion of an unknown class. ' +
        'It is neither learned nor judged on (0 training, 1 validation), and not taken as normal images: the lesion is there.',
    );
    expect(
      leftOutSentence({
        train: 2,
        validation: 0,
        byType: { calcification: 1, distortion: 1 },
        detects: ['mass', 'asymmetry'],
        reason: '',
      }),
    ).toMatch(
      /^2 images left out: 1 calcification and 1 architectural distortion — this model detects masses and asymmetries only\./,
    );
  });
});
