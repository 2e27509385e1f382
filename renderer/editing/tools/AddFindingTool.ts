import type { AddedFinding, FindingType } from '../../../main/api/annotations.js';
import { polygonBox } from '../maskRaster.js';
import { outlinedFinding } from '../outlinedFinding.js';
import { claimPaintedPixels, pixelsTurnedOnIn } from '../paintedPixels.js';
import { runsOfPixels } from '../pixelRuns.js';
import type { Edit, EditingState, ToolDescriptor } from './EditorTool.js';
import { fillOutline } from './FillTool.js';

/**
 * Add finding: a missed lesion, placed by the reader. Dragging an outline around it records the
 * finding with its outline (and the outline's extent) and paints the outline into the mask: the
 * reader's outline is the training label. A click records the point only, and the list asks for an
 * outline or paint.
 */
export const AddFindingTool = Object.freeze({
  toolName: 'placeFinding',
  label: 'Add finding',
  command: 'toolAddFinding',
  defaults: Object.freeze({ type: 'mass' as FindingType }),
} satisfies ToolDescriptor & { defaults: { type: FindingType } });

/** A finding at a clicked point: no extent, no mask pixels. */
export function addFindingAt(state: EditingState, type: FindingType, column: number, row: number): Edit {
  const added: AddedFinding = { type, centroidColumn: tenth(column), centroidRow: tenth(row) };
  return { label: `add ${type}`, findings: { ...state.findings, added: [...state.findings.added, added] } };
}

/**
 * A finding outlined by the reader: its centroid and extent from the outline, and the outline's
 * pixels in the mask, in one step. The finding records the pixels it turned on (`painted`: removing
 * it turns exactly those off), and takes them over from earlier added findings that painted them
 * before the reader erased them. Null for an outline of fewer than three vertices.
 */
export function addOutlinedFinding(
  state: EditingState,
  type: FindingType,
  vertices: readonly (readonly [number, number])[],
): Edit | null {
  const outline = vertices.map(([x, y]): [number, number] => [tenth(x), tenth(y)]);
  const outlined = outlinedFinding(outline);
  if (!outlined) return null;
  const label = `add ${type}`;
  // Painted as stored, so that a later session paints (and reads) the same outline.
  const filled = fillOutline(state, outline, label);
  const box = polygonBox(outline, state.columns, state.rows);
  const turnedOn =
    filled?.mask && box ? pixelsTurnedOnIn(state.mask, filled.mask, state.columns, box) : new Uint32Array(0);
  const earlier = claimPaintedPixels(state.findings, turnedOn, state.columns, state.rows) ?? state.findings;
  const added: AddedFinding = { type, ...outlined, outline, painted: runsOfPixels(turnedOn, state.columns) };
  return {
    label,
    findings: { ...earlier, added: [...earlier.added, added] },
    ...(filled?.mask ? { mask: filled.mask } : {}),
  };
}

/** Coordinates are stored to a tenth of a pixel. */
function tenth(value: number): number {
  return Math.round(value * 10) / 10;
}
