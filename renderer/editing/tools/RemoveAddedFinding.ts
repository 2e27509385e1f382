import { fillPolygon, levelOfThreshold, maskAtThreshold } from '../maskRaster.js';
import type { Edit, EditingState } from './EditorTool.js';
import { findingOwnership } from './findingOwnership.js';
import { type AiMap, ownershipGapPixels } from './RejectFinding.js';

/** The AI's mask as the editor cuts it: its map at the editor's threshold, and its findings. */
export interface AiMask extends AiMap {
  /** The editor's threshold for the AI's mask (AiMap's `threshold` is the findings'). */
  maskThreshold: number;
}

/**
 * Removing a finding the reader added (the list's ✕), as one undoable step. An outlined finding's
 * label is the pixels inside its outline (its add painted them), so they leave the mask with it,
 * except pixels that are also another label's:
 * - inside another added finding's outline (that finding's label);
 * - in the AI's mask at the editor's threshold, unless owned by a finding the reader rejected (as
 *   rejecting decides it: findingOwnership); the AI's mask is not the reader's finding to take away.
 * A clicked finding painted nothing, and one saved before outlines were kept has no outline: only
 * the finding goes. The reader's own strokes inside the outline go with it (they lie inside the
 * lesion the reader now says is not there); strokes outside it stay.
 */
export function removeAddedFinding(state: EditingState, index: number, ai: AiMask | null): Edit | null {
  const removed = state.findings.added[index];
  if (!removed) return null;
  const findings = { ...state.findings, added: state.findings.added.filter((_, i) => i !== index) };
  const label = `remove ${removed.type}`;
  const { columns, rows } = state;
  const box = removed.outline && outlineBox(removed.outline, columns, rows);
  if (!box) return { label, findings };
  const inside = new Uint8Array(columns * rows);
  if (!fillPolygon(inside, columns, rows, removed.outline!, 1)) return { label, findings };
  for (const other of findings.added) if (other.outline) fillPolygon(inside, columns, rows, other.outline, 0);
  const aiKept = ai ? aiMaskKept(state, ai) : null;
  const mask = state.mask.slice();
  let cleared = 0;
  // Only the outline's box can hold its pixels: a full-size image is 13 million of them.
  for (let row = box.top; row <= box.bottom; row++)
    for (let i = row * columns + box.left; i <= row * columns + box.right; i++)
      if (inside[i] && mask[i] && !aiKept?.(i)) {
        mask[i] = 0;
        cleared++;
      }
  return cleared ? { label, findings, mask } : { label, findings };
}

/** The pixel rows and columns an outline can cover, inside the image; null when it misses it. */
function outlineBox(
  outline: readonly (readonly [number, number])[],
  columns: number,
  rows: number,
): { top: number; left: number; bottom: number; right: number } | null {
  const xs = outline.map(([x]) => x);
  const ys = outline.map(([, y]) => y);
  const box = {
    top: Math.max(0, Math.floor(Math.min(...ys))),
    left: Math.max(0, Math.floor(Math.min(...xs))),
    bottom: Math.min(rows - 1, Math.ceil(Math.max(...ys))),
    right: Math.min(columns - 1, Math.ceil(Math.max(...xs))),
  };
  return box.top <= box.bottom && box.left <= box.right ? box : null;
}

/** Whether a pixel is in the AI's mask and no rejection took it away. */
function aiMaskKept(state: EditingState, ai: AiMask): (i: number) => boolean {
  const level = levelOfThreshold(ai.maskThreshold);
  const rejected = new Set(
    state.findings.decisions.filter((d) => d.decision === 'rejected').map((d) => d.findingIndex),
  );
  if (!rejected.size) return (i) => ai.map[i]! >= level;
  const owner = findingOwnership(
    maskAtThreshold(ai.map, ai.maskThreshold),
    state.columns,
    ai.map,
    ai.threshold,
    ai.findings,
    ownershipGapPixels(ai),
  );
  return (i) => ai.map[i]! >= level && !rejected.has(owner[i]!);
}
