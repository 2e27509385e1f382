/** Defaults of the mask editor, in one place. */

export const EDITING_DEFAULTS = Object.freeze({
  /** Brush and eraser radius in millimetres (Cornerstone's brush size is in world units, mm). */
  brushMm: 4,
  brushMinMm: 0.5,
  brushMaxMm: 40,
  /** Quiet time after the last change before the draft is autosaved. */
  autosaveMs: 700,
  /** Undo steps kept; older ones are dropped. */
  historyLimit: 200,
  /** Findings listed at most (an untrained model can outline hundreds). */
  findingsShown: 50,
});

/** The labelmap's value inside the mask (segment index 1). */
export const MASK_SEGMENT_INDEX = 1;

/** Names of the editing tools in the editor's tool group. */
export const EDIT_TOOL_NAMES = Object.freeze({
  brush: 'MammoBrush',
  eraser: 'MammoEraser',
  thresholdBrush: 'MammoThresholdBrush',
  rectangleScissors: 'MammoRectangleScissors',
} as const);

/** localStorage key of the reader's name (a setting, asked once). */
export const READER_NAME_KEY = 'mammo.readerName';
