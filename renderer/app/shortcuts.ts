/** Every keyboard shortcut, in one table: the viewer dispatches from it and the help lists it. */

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
  | AiCommand;

export interface Shortcut {
  keys: readonly string[];
  command: ViewerCommand;
  description: string;
}

export const VIEWER_SHORTCUTS: readonly Shortcut[] = Object.freeze([
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
  { keys: ['b'], command: 'report', description: 'Report (BI-RADS) and exports: open or close' },
  { keys: ['?', 'h'], command: 'help', description: 'Show or hide this help' },
  { keys: ['Escape'], command: 'close', description: 'Leave full screen, else back to the worklist' },
]);

/** The command a key press means, or null. Modifier chords are left to the browser. */
export function commandForKey(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}): ViewerCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return VIEWER_SHORTCUTS.find((shortcut) => shortcut.keys.includes(key))?.command ?? null;
}
