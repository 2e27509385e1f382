/**
 * Every keyboard shortcut of the workstation, in one registry: the viewer, the editor and the
 * worklist dispatch from their tables, the `?` help lists them all, and a unit test checks that a key means one
 * thing wherever it is bound. A chord is written `Ctrl+s` (Ctrl or Cmd).
 */

/** The AI display's commands (the viewer hands them to its AI display). */
export type AiCommand =
  | 'aiToggle'
  | 'aiHeatmap'
  | 'aiOutline'
  | 'aiThresholdDown'
  | 'aiThresholdUp'
  | 'aiOpacityDown'
  | 'aiOpacityUp'
  | 'aiNextFinding';

export type ViewerCommand =
  | 'preset1'
  | 'preset2'
  | 'preset3'
  | 'preset4'
  | 'invert'
  | 'reset'
  | 'fullscreen'
  | 'link'
  | 'toolWindowLevel'
  | 'toolPan'
  | 'toolZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'activeLeft'
  | 'activeRight'
  | 'activeUp'
  | 'activeDown'
  | 'help'
  | 'close'
  | 'report'
  | 'layerGroundTruth'
  | 'layerCorrections'
  | AiCommand;

/** The correction editor's commands; those it shares with the viewer have the viewer's name. */
export type EditorCommand =
  | 'toolBrush'
  | 'toolEraser'
  | 'toolThresholdBrush'
  | 'toolFreehand'
  | 'toolPolygon'
  | 'toolRectangle'
  | 'toolAddFinding'
  | 'toolPan'
  | 'toolWindowLevel'
  | 'brushSmaller'
  | 'brushLarger'
  | 'undo'
  | 'redo'
  | 'save'
  | 'help'
  | 'close';

/**
 * The worklist's keys: the page dispatches `/`, `?` and Escape from anywhere on it, the study table
 * the rest while it has the focus. The arrows move the selection as they move the active view in
 * the viewer, so they keep the viewer's names.
 */
export type WorklistCommand =
  | 'focusFilter'
  | 'activeDown'
  | 'activeUp'
  | 'selectFirst'
  | 'selectLast'
  | 'openSelected'
  | 'help'
  | 'close';

export interface Shortcut<Command extends string = string> {
  keys: readonly string[];
  command: Command;
  description: string;
}

export const VIEWER_SHORTCUTS: readonly Shortcut<ViewerCommand>[] = Object.freeze([
  { keys: ['1'], command: 'preset1', description: 'Window: default' },
  { keys: ['2'], command: 'preset2', description: 'Window: full range' },
  { keys: ['3'], command: 'preset3', description: 'Window: high contrast' },
  { keys: ['4'], command: 'preset4', description: 'Window: low contrast' },
  { keys: ['i'], command: 'invert', description: 'Invert the active view' },
  { keys: ['r'], command: 'reset', description: 'Reset every view' },
  { keys: ['f', ' '], command: 'fullscreen', description: 'Full-screen the active view (again to leave)' },
  { keys: ['l'], command: 'link', description: 'Link zoom and pan across views' },
  { keys: ['w'], command: 'toolWindowLevel', description: 'Left drag: window/level' },
  { keys: ['p'], command: 'toolPan', description: 'Left drag: pan' },
  { keys: ['z'], command: 'toolZoom', description: 'Left drag: zoom' },
  { keys: ['+', '='], command: 'zoomIn', description: 'Zoom in' },
  { keys: ['-'], command: 'zoomOut', description: 'Zoom out' },
  { keys: ['ArrowLeft'], command: 'activeLeft', description: 'Active view: left' },
  { keys: ['ArrowRight'], command: 'activeRight', description: 'Active view: right' },
  { keys: ['ArrowUp'], command: 'activeUp', description: 'Active view: up' },
  { keys: ['ArrowDown'], command: 'activeDown', description: 'Active view: down' },
  { keys: ['a'], command: 'aiToggle', description: 'AI: show or hide everything' },
  { keys: ['m'], command: 'aiHeatmap', description: 'AI: heatmap on or off' },
  { keys: ['o'], command: 'aiOutline', description: 'AI: outline and marks on or off' },
  { keys: ['['], command: 'aiThresholdDown', description: 'AI: lower the outline threshold' },
  { keys: [']'], command: 'aiThresholdUp', description: 'AI: raise the outline threshold' },
  { keys: [','], command: 'aiOpacityDown', description: 'AI: heatmap more transparent' },
  { keys: ['.'], command: 'aiOpacityUp', description: 'AI: heatmap more opaque' },
  { keys: ['n'], command: 'aiNextFinding', description: 'AI: centre the next finding' },
  { keys: ['v'], command: 'layerGroundTruth', description: 'Imported ground truth: show or hide' },
  { keys: ['s'], command: 'layerCorrections', description: 'Newest saved correction: show or hide' },
  { keys: ['b'], command: 'report', description: 'Report (BI-RADS) and exports: open or close' },
  { keys: ['?', 'h'], command: 'help', description: 'Show or hide this help' },
  { keys: ['Escape'], command: 'close', description: 'Leave full screen, else back to the worklist' },
]);

export const EDITOR_SHORTCUTS: readonly Shortcut<EditorCommand>[] = Object.freeze([
  { keys: ['d'], command: 'toolBrush', description: 'Brush (draw)' },
  { keys: ['e'], command: 'toolEraser', description: 'Eraser' },
  { keys: ['t'], command: 'toolThresholdBrush', description: 'Threshold brush' },
  { keys: ['c'], command: 'toolFreehand', description: 'Freehand fill (closed curve)' },
  { keys: ['g'], command: 'toolPolygon', description: 'Polygon fill' },
  { keys: ['x'], command: 'toolRectangle', description: 'Rectangle' },
  { keys: ['k'], command: 'toolAddFinding', description: 'Add a missed finding (mark it)' },
  { keys: ['p'], command: 'toolPan', description: 'Left drag: pan' },
  { keys: ['w'], command: 'toolWindowLevel', description: 'Left drag: window/level' },
  { keys: ['{'], command: 'brushSmaller', description: 'Brush smaller' },
  { keys: ['}'], command: 'brushLarger', description: 'Brush larger' },
  { keys: ['Ctrl+z'], command: 'undo', description: 'Undo' },
  { keys: ['Ctrl+Shift+z', 'Ctrl+y'], command: 'redo', description: 'Redo' },
  { keys: ['Ctrl+s'], command: 'save', description: 'Save the correction (from any field)' },
  { keys: ['?', 'h'], command: 'help', description: 'Show or hide this help' },
  { keys: ['Escape'], command: 'close', description: 'Back to the reading view' },
]);

export const WORKLIST_SHORTCUTS: readonly Shortcut<WorklistCommand>[] = Object.freeze([
  { keys: ['/'], command: 'focusFilter', description: 'Filter studies (from anywhere on the worklist)' },
  { keys: ['ArrowDown'], command: 'activeDown', description: 'Select the next study' },
  { keys: ['ArrowUp'], command: 'activeUp', description: 'Select the previous study' },
  { keys: ['Home'], command: 'selectFirst', description: 'Select the first study' },
  { keys: ['End'], command: 'selectLast', description: 'Select the last study' },
  { keys: ['Enter'], command: 'openSelected', description: 'Open the selected study' },
  { keys: ['?', 'h'], command: 'help', description: 'Show or hide this help' },
  { keys: ['Escape'], command: 'close', description: 'Close this help' },
]);

/** The help's sections, in the order a reader meets them. */
export const SHORTCUT_SECTIONS: readonly { title: string; shortcuts: readonly Shortcut[] }[] = Object.freeze([
  { title: 'Reading view', shortcuts: VIEWER_SHORTCUTS },
  { title: 'Correction editor', shortcuts: EDITOR_SHORTCUTS },
  { title: 'Worklist', shortcuts: WORKLIST_SHORTCUTS },
]);

interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

/** A key press as the tables write it: `f`, `Escape`, `Ctrl+s`, `Ctrl+Shift+z`; null with Alt. */
export function keyName(event: KeyPress): string | null {
  if (event.altKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (!event.ctrlKey && !event.metaKey) return key;
  return `Ctrl+${event.shiftKey ? 'Shift+' : ''}${key}`;
}

/** The command a key press means in `table`, or null (chords a table lacks are left to the browser). */
export function commandForKey<Command extends string>(
  table: readonly Shortcut<Command>[],
  event: KeyPress,
): Command | null {
  const name = keyName(event);
  if (name === null) return null;
  return table.find((shortcut) => shortcut.keys.includes(name))?.command ?? null;
}

/** How the help prints a key. */
export function keyLabel(key: string): string {
  return key === ' ' ? 'Space' : key;
}
