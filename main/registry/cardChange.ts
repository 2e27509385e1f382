import { isDeepStrictEqual } from 'node:util';
import type { ModelCard } from '../api/models.js';
import { membersOf } from '../api/modelMembers.js';

/**
 * Card fields that only describe a model: a cached prediction (map, findings, their threshold) does
 * not depend on them, and the viewer, reports and gate read them from the registered card each time.
 * Every other field counts as an input of inference, so a field added later drops stale caches
 * until it is listed here.
 */
const DESCRIPTIVE_FIELDS = [
  'parentId',
  'createdAt',
  'trainingData',
  'validation',
  'externalValidation',
  'detects',
  'notes',
] as const satisfies readonly (keyof ModelCard)[];

/** The weights a model runs, by content: each member's sha256 in member order. */
export function weightsDigestOf(card: ModelCard): string[] {
  return membersOf(card).map((member) => member.weights.sha256);
}

/** The card without its descriptive fields: what a cached prediction was computed from. */
function predictionInputsOf(card: ModelCard): unknown {
  const descriptive = new Set<string>(DESCRIPTIVE_FIELDS);
  return {
    ...Object.fromEntries(Object.entries(card).filter(([field]) => !descriptive.has(field))),
    // The image threshold is applied when scores are shown; the finding threshold made the findings.
    thresholds: { finding: card.thresholds.finding },
    ...(card.members ? { members: card.members.map(({ validation: _, ...member }) => member) } : {}),
  };
}

/** Whether predictions cached under `before` could differ from what `after` would compute. */
export function predictionsDependOnChange(before: ModelCard, after: ModelCard): boolean {
  return !isDeepStrictEqual(predictionInputsOf(before), predictionInputsOf(after));
}
