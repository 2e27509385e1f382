/**
 * The editor's tools, one module each (as Cornerstone3D has a class per tool): a tool has a
 * `toolName`, its toolbar label and shortcut command, its defaults in one frozen object, and turns
 * the reader's input into an {@link Edit} of the editing state. The editor applies an edit as one
 * undoable step; tools never touch the labelmap or the history themselves.
 */
import type { AnnotationFindings } from '../../../main/api/annotations.js';
import type { EditorCommand } from '../../app/shortcuts.js';

/** What the left mouse button does in the editor. */
export type EditTool =
  | 'brush'
  | 'eraser'
  | 'thresholdBrush'
  | 'rectangleScissors'
  | 'freehand'
  | 'polygon'
  | 'placeFinding'
  | 'pan'
  | 'windowLevel';

/** What a tool reads: the image's size, the mask as the page has it and the finding decisions. */
export interface EditingState {
  columns: number;
  rows: number;
  /** 0/1 per pixel, row-major; a tool never changes it in place. */
  mask: Uint8Array;
  findings: AnnotationFindings;
}

/** One undoable change a tool asks for: a new mask, new findings, or both (one step). */
export interface Edit {
  label: string;
  mask?: Uint8Array;
  findings?: AnnotationFindings;
}

/** How a tool appears in the toolbar. */
export interface ToolDescriptor {
  toolName: EditTool;
  label: string;
  command: EditorCommand;
}
