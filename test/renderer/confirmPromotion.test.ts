import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../../main/api/models.js';
import { promotionQuestion } from '../../renderer/learning/confirmPromotion.js';

describe('promotionQuestion', () => {
  it('asks for the typed id when the candidate has no validation metrics, a plain confirm otherwise', () => {
    const unvalidated = { id: 'ft-1', card: { validation: null } } as unknown as ModelVersion;
    expect(promotionQuestion(unvalidated)).toMatchObject({ kind: 'type-id' });
    expect(promotionQuestion(unvalidated).message).toMatch(/NO validation metrics/);
    const validated = { id: 'ft-2', card: { validation: { images: 12 } } } as unknown as ModelVersion;
    expect(promotionQuestion(validated)).toMatchObject({ kind: 'confirm' });
    expect(promotionQuestion(validated).message).toMatch(/12 images/);
  });

  it('asks for the typed id, with the verdict, when the gate did not pass the candidate', () => {
    const validated = { id: 'ft-3', card: { validation: { images: 12 } } } as unknown as ModelVersion;
    const refused = {
      passed: false,
      promoted: false,
      reason:
        'Refused: lesion Dice on the site’s mias validation images (66) 0.095 → 0.072 (difference −0.023, 95% CI −0.031 to −0.012) — worse than base beyond noise.',
      current: null,
      candidate: { modelId: 'ft-3', imageAUC: 0.5, lesionSensitivityAt1FP: 0.3, lesionDice: 0.072 },
    };
    const question = promotionQuestion(validated, refused);
    expect(question.kind).toBe('type-id');
    expect(question.message).toContain('0.095 → 0.072');
    expect(promotionQuestion(validated, { ...refused, passed: true })).toMatchObject({ kind: 'confirm' });
  });
});
