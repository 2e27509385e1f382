/**
 * The question asked before a model becomes current (every new analysis will use it). A
 * candidate without validation metrics has never been measured, and one the promotion gate did
 * not pass is worse than its parent or unmeasured, so for those the reader must type its id
 * rather than click OK.
 */
import type { ModelVersion } from '../../main/api/models.js';
import type { PromotionGateResult } from '../../main/api/training.js';

export interface PromotionQuestion {
  kind: 'confirm' | 'type-id';
  message: string;
}

export function promotionQuestion(
  version: Pick<ModelVersion, 'id' | 'card'>,
  gate: PromotionGateResult | null = null,
): PromotionQuestion {
  const validation = version.card.validation;
  if (gate && !(gate.passed ?? gate.promoted))
    return {
      kind: 'type-id',
      message: `The promotion gate did not pass ${version.id}: ${gate.reason} Every new analysis will use it. To promote it anyway, type its id:`,
    };
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
