import { fillPolygon } from '../maskRaster.js';
import type { Edit, EditingState, ToolDescriptor } from './EditorTool.js';

/** Freehand fill: drag an outline around a region; it is painted on release. */
export const FreehandFillTool = Object.freeze({
  toolName: 'freehand',
  label: 'Freehand fill',
  command: 'toolFreehand',
} satisfies ToolDescriptor);

/** Polygon fill: click the corners; Enter or a double-click paints inside. */
export const PolygonFillTool = Object.freeze({
  toolName: 'polygon',
  label: 'Polygon fill',
  command: 'toolPolygon',
} satisfies ToolDescriptor);

/**
 * The mask with every pixel whose centre lies inside the outline painted (x = column, y = row), or
 * null when the outline paints nothing new.
 */
export function fillOutline(
  state: EditingState,
  vertices: readonly (readonly [number, number])[],
  label: string,
): Edit | null {
  const mask = state.mask.slice();
  if (!fillPolygon(mask, state.columns, state.rows, vertices, 1)) return null;
  return { label, mask };
}
