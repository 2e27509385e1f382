import type { AnnotationFindings, PixelRun } from '../../../main/api/annotations.js';
import {
  fillPolygon,
  forEachPolygonSpan,
  levelOfThreshold,
  maskAtThreshold,
  type PixelBounds,
  polygonBox,
} from '../maskRaster.js';
import { pixelsOfRuns, pixelsUnion, pixelsWithout, runsOfPixels } from '../pixelRuns.js';
import type { Edit, EditingState } from './EditorTool.js';
import { pixelsOwnedBy } from './findingOwnership.js';
import { type AiMap, ownershipGapPixels } from './RejectFinding.js';

/** The AI's mask as the editor cuts it: its map at the editor's threshold, and its findings. */
export interface AiMask extends AiMap {
  /** The editor's threshold for the AI's mask (AiMap's `threshold` is the findings'). */
  maskThreshold: number;
}

/**
 * Removing a finding the reader added (the list's ✕), as one undoable step. Inside its outline the
 * mask becomes again what the reader had before adding it, except where a later action claimed a
 * pixel:
 * - the pixels its add turned on (its `painted` runs) go off; the pixels that were on before (the
 *   AI's mask, the reader's strokes, an earlier finding's outline) stay, and pixels the reader had
 *   erased before outlining stay erased;
 * - a later edit that turned one of its pixels on again (after the reader erased it) took it over
 *   when it was made (claimPaintedPixels): it stays;
 * - a pixel inside the outline of a finding added after it stays, and becomes that finding's: had
 *   this one never been added, that finding's add would have painted it (so removing both, in
 *   either order, leaves what was there before both);
 * - a pixel that is off now (a later erase or rejection) stays off.
 * A clicked finding painted nothing: only the finding goes. A finding saved before adds recorded
 * their pixels has its outline only: see {@link removeOutlinedPixels}.
 */
export function removeAddedFinding(state: EditingState, index: number, ai: AiMask | null): Edit | null {
  const removed = state.findings.added[index];
  if (!removed) return null;
  const findings = { ...state.findings, added: state.findings.added.filter((_, i) => i !== index) };
  const label = `remove ${removed.type}`;
  if (removed.painted) return removePaintedPixels(state, removed.painted, index, findings, label);
  if (!removed.outline) return { label, findings };
  return removeOutlinedPixels(state, removed.outline, findings, label, ai);
}

/** The rule for a finding that recorded the pixels it painted. */
function removePaintedPixels(
  state: EditingState,
  painted: readonly PixelRun[],
  index: number,
  findings: AnnotationFindings,
  label: string,
): Edit {
  const { columns, rows } = state;
  let own = pixelsOfRuns(painted, columns, rows);
  if (!own.length) return { label, findings };
  const box = boxOfPixels(own, columns);
  const added = findings.added.slice();
  // The findings added after it now sit at its index and beyond, in the order they were added.
  for (let k = index; k < added.length && own.length; k++) {
    const later = added[k]!;
    if (!later.outline) continue;
    const taken = pixelsInsidePolygon(own, later.outline, columns, box);
    if (!taken.length) continue;
    own = pixelsWithout(own, taken);
    if (later.painted)
      added[k] = {
        ...later,
        painted: runsOfPixels(pixelsUnion(pixelsOfRuns(later.painted, columns, rows), taken), columns),
      };
  }
  const next = { ...findings, added };
  const mask = state.mask.slice();
  let cleared = 0;
  for (const i of own)
    if (mask[i]) {
      mask[i] = 0;
      cleared++;
    }
  return cleared ? { label, findings: next, mask } : { label, findings: next };
}

/**
 * The rule for a finding saved before adds recorded their pixels: the pixels inside its outline
 * leave the mask, except pixels inside another added finding's outline and pixels of the AI's mask
 * at the editor's threshold, unless owned by a finding the reader rejected (as rejecting decides
 * it: pixelsOwnedBy); the reader's strokes inside the outline go with it.
 */
function removeOutlinedPixels(
  state: EditingState,
  outline: readonly (readonly [number, number])[],
  findings: AnnotationFindings,
  label: string,
  ai: AiMask | null,
): Edit {
  const { columns, rows } = state;
  const box = polygonBox(outline, columns, rows);
  if (!box) return { label, findings };
  const inside = new Uint8Array(columns * rows);
  if (!fillPolygon(inside, columns, rows, outline, 1)) return { label, findings };
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

/** The rows and columns that hold the pixels (ascending, at least one). */
function boxOfPixels(pixels: Uint32Array, columns: number): PixelBounds {
  const box = {
    top: Math.floor(pixels[0]! / columns),
    left: columns - 1,
    bottom: Math.floor(pixels[pixels.length - 1]! / columns),
    right: 0,
  };
  for (const i of pixels) {
    const column = i % columns;
    if (column < box.left) box.left = column;
    if (column > box.right) box.right = column;
  }
  return box;
}

/** Those of the pixels (ascending, all inside `box`) whose centres lie inside the polygon. */
function pixelsInsidePolygon(
  pixels: Uint32Array,
  polygon: readonly (readonly [number, number])[],
  columns: number,
  box: PixelBounds,
): Uint32Array {
  const width = box.right - box.left + 1;
  const inside = new Uint8Array(width * (box.bottom - box.top + 1));
  forEachPolygonSpan(polygon, columns, box.bottom + 1, (row, from, to) => {
    if (row < box.top) return;
    for (let column = Math.max(from, box.left); column <= Math.min(to, box.right); column++)
      inside[(row - box.top) * width + column - box.left] = 1;
  });
  return pixels.filter((i) => inside[(Math.floor(i / columns) - box.top) * width + (i % columns) - box.left]);
}

/** Whether a pixel is in the AI's mask and no rejection took it away. */
function aiMaskKept(state: EditingState, ai: AiMask): (i: number) => boolean {
  const level = levelOfThreshold(ai.maskThreshold);
  const rejected = new Set(
    state.findings.decisions.filter((d) => d.decision === 'rejected').map((d) => d.findingIndex),
  );
  if (!rejected.size) return (i) => ai.map[i]! >= level;
  const aiMask = maskAtThreshold(ai.map, ai.maskThreshold);
  const takenAway = new Uint8Array(aiMask.length);
  for (const index of rejected) {
    const owned = pixelsOwnedBy(
      aiMask,
      state.columns,
      ai.map,
      ai.threshold,
      ai.findings,
      ownershipGapPixels(ai),
      index,
    );
    for (const i of owned) takenAway[i] = 1;
  }
  return (i) => ai.map[i]! >= level && !takenAway[i];
}
