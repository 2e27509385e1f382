import type { AddedFinding, FindingType } from '../../../main/api/annotations.js';
import { outlinedFinding } from '../outlinedFinding.js';
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
 * pixels in the mask, in one step. Null for an outline of fewer than three vertices.
 */
export function addOutlinedFinding(
  state: EditingState,
  type: FindingType,
  vertices: readonly (readonly [number, number])[],
): Edit | null {
  // Painted as stored, so that removing the finding takes out exactly the pixels this painted.
  const outline = vertices.map(([x, y]): [number, number] => [tenth(x), tenth(y)]);
  const outlined = outlinedFinding(outline);
  if (!outlined) return null;
  const added: AddedFinding = { type, ...outlined, outline };
  const label = `add ${type}`;
  const painted = fillOutline(state, outline, label);
  return {
    label,
    findings: { ...state.findings, added: [...state.findings.added, added] },
    ...(painted?.mask ? { mask: painted.mask } : {}),
  };
}

/** Coordinates are stored to a tenth of a pixel. */
function tenth(value: number): number {
  return Math.round(value * 10) / 10;
}
