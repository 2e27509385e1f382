import type { Finding } from '../../../main/api/predictions.js';
import type { Edit, EditingState } from './EditorTool.js';
import { pixelsOwnedBy } from './findingOwnership.js';

/** Gaps an AI finding's mask pixels may have and still be the finding's (see pixelsOwnedBy). */
export const REJECT_DEFAULTS = Object.freeze({ gapMm: 1, gapPixelsWithoutSpacing: 5 });

/** What deciding on an AI finding needs of the AI: its findings, map and finding threshold. */
export interface AiMap {
  findings: readonly Finding[];
  /** The 8-bit probability map at the image's resolution. */
  map: Uint8Array;
  threshold: number;
  /** The image's pixel spacing, mm (row, column); null when unknown. */
  pixelSpacingMm: readonly [number, number] | null;
}

/**
 * Accepting or rejecting an AI finding (deciding the same again clears the decision). A rejected
 * finding is not a lesion: every mask pixel it contributed leaves the mask, so it leaves the saved
 * label too; pixels of other findings and the reader's own strokes away from it stay.
 */
export function decideFinding(
  state: EditingState,
  finding: Finding,
  decision: 'accepted' | 'rejected',
  ai: AiMap | null,
): Edit {
  const { findingIndex, previous, decisions } = nextDecisions(state, finding.index, decision);
  const label = `${previous === decision ? 'clear' : decision} finding ${findingIndex}`;
  const findings = { ...state.findings, decisions };
  if (decision !== 'rejected' || previous === 'rejected' || !ai) return { label, findings };
  const owned = pixelsOwnedBy(
    state.mask,
    state.columns,
    ai.map,
    ai.threshold,
    ai.findings,
    ownershipGapPixels(ai),
    finding.index,
  );
  if (!owned.length) return { label, findings };
  const mask = state.mask.slice();
  for (const i of owned) mask[i] = 0;
  return { label, findings, mask };
}

/** The gap, in pixels, a finding's mask pixels may have and still be the finding's. */
export function ownershipGapPixels(ai: AiMap): number {
  return ai.pixelSpacingMm
    ? REJECT_DEFAULTS.gapMm / Math.min(...ai.pixelSpacingMm)
    : REJECT_DEFAULTS.gapPixelsWithoutSpacing;
}

function nextDecisions(state: EditingState, findingIndex: number, decision: 'accepted' | 'rejected') {
  const previous = state.findings.decisions.find((d) => d.findingIndex === findingIndex)?.decision;
  const others = state.findings.decisions.filter((d) => d.findingIndex !== findingIndex);
  const decisions = previous === decision ? others : [...others, { findingIndex, decision }];
  decisions.sort((a, b) => a.findingIndex - b.findingIndex);
  return { findingIndex, previous, decisions };
}
