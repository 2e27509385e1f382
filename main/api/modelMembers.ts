import type { ModelCard, ModelMember, NetworkSpec } from './models.js';

/** The fields that make a network; a multi-member card's top level repeats its first member's. */
export const MEMBER_NETWORK_FIELDS: readonly (keyof NetworkSpec)[] = Object.freeze([
  'architecture',
  'widthMultiplier',
  'inputPixelSpacingMm',
  'normalisation',
  'weights',
  'topologySha256',
]);

/** The topology file of a single-network model folder (and of a multi-member model's first member). */
export const MODEL_TOPOLOGY_FILE = 'model.json';

/**
 * The networks a model runs: its members, or for a single-network card the one network as a
 * member named after the model, looking for any lesion. Inference, the viewer and the gate use
 * this, so a single-network model is simply a model of one member.
 *
 * @example membersOf(card).map((m) => `${m.role} @ ${m.inputPixelSpacingMm} mm`)
 */
export function membersOf(card: ModelCard): ModelMember[] {
  if (card.members) return card.members;
  return [
    {
      name: card.id,
      role: 'any',
      topology: MODEL_TOPOLOGY_FILE,
      architecture: card.architecture,
      widthMultiplier: card.widthMultiplier,
      inputPixelSpacingMm: card.inputPixelSpacingMm,
      normalisation: card.normalisation,
      weights: card.weights,
      ...(card.topologySha256 ? { topologySha256: card.topologySha256 } : {}),
    },
  ];
}
