/**
 * What the read-only debug hooks (`window.__mammoDebug`, `window.__mammoEditing`) answer. The
 * end-to-end tests' page objects read the same shapes; they are type-checked without the DOM, so
 * this file imports nothing.
 */

/** A rectangle in CSS pixels (of a canvas or of the page, as each use says). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface ViewportStats {
  width: number;
  height: number;
  /** Mean gray level (0-255) of the whole canvas and of its left and right thirds. */
  mean: number;
  leftThirdMean: number;
  rightThirdMean: number;
  /** Fraction of pixels brighter than 16: zero for a blank view. */
  litFraction: number;
}

export interface ViewportDisplayState {
  imageId: string;
  flipHorizontal: boolean;
  invert: boolean;
  voi: { lower: number; upper: number } | null;
  zoom: number;
  pan: [number, number];
  /** The image pixel (column, row) at the view's centre. */
  centre: [number, number] | null;
}

export interface AiViewInfo {
  viewportId: string;
  imageId: number;
  status: string;
  visible: boolean;
  threshold: number;
  /** The 8-bit level the threshold outlines from. */
  level: number;
  /** Map pixels at or above the level; null until the map is loaded. */
  outlinePixels: number | null;
  /** Levels present in the map (lowest above 0, highest); null until loaded. */
  levels: { minNonZero: number; max: number; nonZero: number } | null;
  /** [level, pixels] for every level present. */
  histogram: [number, number][] | null;
  /** API findings at or above the threshold in this view. */
  findings: number;
  /** Indices of the findings marked (capped per image). */
  marks: number[];
  draws: number;
  /** Durations of the latest draws with a map (ms). */
  drawMs: number[];
}

export interface OverlayStats {
  /** Share of the overlay canvas's pixels that are not transparent. */
  litFraction: number;
  /** Where the drawn pixels are, in CSS pixels; null when none. */
  drawnBox: Box | null;
  /** Where the image is, in CSS pixels. */
  imageBox: Box | null;
}

/** The open editor's mask as a plain object, as Save would send it. */
export interface EditorMask {
  imageId: number;
  columns: number;
  rows: number;
  /** Base64 8-bit grayscale PNG, 255 inside. */
  maskPng: string;
  painted: number;
}
