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

/**
 * How a changed card's networks differ from the registered card's, by content: other weights (a
 * member's sha256, or another count of members), another topology (a member's model.json sha256
 * where both cards pin one), or a pinned topology the changed card no longer pins. `file` names the
 * file in the model folder.
 */
export type NetworkDifference =
  { kind: 'weights' } | { kind: 'topology'; file: string } | { kind: 'unpinned'; file: string };

/**
 * Whether `changed` runs other networks than `registered`, or null when it runs the same ones. The
 * topology counts like the weights: the same weights under an edited model.json are another network.
 * A registered card that pins no topology (written before cards recorded it) takes the changed
 * card's pin: the caller checks the folder's files against the changed card before taking it.
 */
export function networkDifference(registered: ModelCard, changed: ModelCard): NetworkDifference | null {
  const before = membersOf(registered);
  const after = membersOf(changed);
  if (before.length !== after.length) return { kind: 'weights' };
  for (const [i, was] of before.entries()) {
    const now = after[i]!;
    if (was.weights.sha256 !== now.weights.sha256) return { kind: 'weights' };
    if (was.topologySha256 === undefined) continue;
    if (now.topologySha256 === undefined) return { kind: 'unpinned', file: now.topology };
    if (was.topologySha256 !== now.topologySha256) return { kind: 'topology', file: now.topology };
  }
  return null;
}

/** The fields less the topology pin. */
function unpinned<T extends { topologySha256?: unknown }>({
  topologySha256: _,
  ...network
}: T): Omit<T, 'topologySha256'> {
  return network;
}

/**
 * The card without its descriptive fields: what a cached prediction was computed from. Without
 * `pins`, the topology pins are left out too.
 */
function predictionInputsOf(card: ModelCard, pins: boolean): unknown {
  const descriptive = new Set<string>(DESCRIPTIVE_FIELDS);
  const inputs: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(card).filter(([field]) => !descriptive.has(field))),
    // The image threshold is applied when scores are shown; the finding threshold made the findings.
    thresholds: { finding: card.thresholds.finding },
    ...(card.members
      ? { members: card.members.map(({ validation: _, ...member }) => (pins ? member : unpinned(member))) }
      : {}),
  };
  return pins ? inputs : unpinned(inputs);
}

/** Whether predictions cached under `before` could differ from what `after` would compute. */
export function predictionsDependOnChange(before: ModelCard, after: ModelCard): boolean {
  // A pin added to a card that had none is taken to name the model.json its cached maps came from:
  // an unpinned card cannot tell, and a shipped id's network never changes. A changed pin is a
  // changed network.
  const pins = membersOf(before).some((member) => member.topologySha256 !== undefined);
  return !isDeepStrictEqual(predictionInputsOf(before, pins), predictionInputsOf(after, pins));
}
