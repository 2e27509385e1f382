import { EDITOR_SHORTCUTS, type EditorCommand } from '../../app/shortcuts.js';
import { AddFindingTool } from './AddFindingTool.js';
import type { ToolDescriptor } from './EditorTool.js';
import { FreehandFillTool, PolygonFillTool } from './FillTool.js';

/**
 * The tools in toolbar order. Brush, eraser, threshold brush, rectangle, pan and W/L are
 * Cornerstone3D's own tools (bound in LabelmapSession); the fills and Add finding are the editor's.
 */
export const EDITOR_TOOLS: readonly ToolDescriptor[] = Object.freeze([
  { toolName: 'brush', label: 'Brush', command: 'toolBrush' },
  { toolName: 'eraser', label: 'Eraser', command: 'toolEraser' },
  { toolName: 'thresholdBrush', label: 'Threshold brush', command: 'toolThresholdBrush' },
  FreehandFillTool,
  PolygonFillTool,
  { toolName: 'rectangleScissors', label: 'Rectangle', command: 'toolRectangle' },
  AddFindingTool,
  { toolName: 'pan', label: 'Pan', command: 'toolPan' },
  { toolName: 'windowLevel', label: 'W/L', command: 'toolWindowLevel' },
]);

/** The first key of a command, as the toolbar's titles show it. */
export function keyOfCommand(command: EditorCommand): string {
  return EDITOR_SHORTCUTS.find((shortcut) => shortcut.command === command)?.keys[0]?.toUpperCase() ?? '';
}
