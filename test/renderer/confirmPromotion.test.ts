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
});
