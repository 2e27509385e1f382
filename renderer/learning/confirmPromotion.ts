/**
 * The question asked before a model becomes current (every new analysis will use it). A
 * candidate without validation metrics has never been measured, so the reader must type its id
 * rather than click OK.
 */
import type { ModelVersion } from '../../main/api/models.js';

export interface PromotionQuestion {
  kind: 'confirm' | 'type-id';
  message: string;
}

export function promotionQuestion(version: Pick<ModelVersion, 'id' | 'card'>): PromotionQuestion {
  const validation = version.card.validation;
  if (!validation)
    return {
      kind: 'type-id',
      message:
        `${version.id} has NO validation metrics: nobody has measured how well it finds lesions. ` +
        `Every new analysis will use it. To promote it anyway, type its id:`,
    };
  return {
    kind: 'confirm',
    message:
      `Promote ${version.id}? Every new analysis will use it ` +
      `(validated on ${validation.images} images). The current model can be rolled back to.`,
  };
}
