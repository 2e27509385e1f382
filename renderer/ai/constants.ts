/** Defaults of the AI display, in one place. */

/** The heatmap's look: probabilities under `floor` are transparent; alpha = minAlpha + alphaGain * p. */
export const HEATMAP = Object.freeze({
  floor: 0.05,
  minAlpha: 0.3,
  alphaGain: 1.4,
});

/** What a reader sees when a study opens, and the steps of the keyboard and sliders. */
export const AI_DISPLAY_DEFAULTS = Object.freeze({
  visible: true,
  heatmap: true,
  outline: true,
  opacity: 0.45,
  opacityStep: 0.05,
  /** Used until the model card's finding threshold is known. */
  threshold: 0.5,
  thresholdStep: 0.01,
  thresholdMin: 0.01,
  thresholdMax: 0.99,
  /** Finding marks drawn per image, strongest first (a setting: clutter hides what matters). */
  marksPerImage: 4,
  marksPerImageMax: 20,
});

/** The working grid's longest side: maps larger than this are max-pooled for drawing and outlining. */
export const WORKING_GRID_MAX_SIDE = 1024;

/** Regions smaller than this are not listed as findings (speckle). */
export const MIN_FINDING_AREA_MM2 = 1;
/** The same, in map pixels, when the image's pixel spacing is unknown. */
export const MIN_FINDING_AREA_PIXELS = 16;

/** Findings listed per view in the panel (the strongest first). */
export const MAX_LISTED_FINDINGS_PER_VIEW = 25;

/** Centring on a finding zooms so that it fills about this share of the view's shorter side. */
export const FOCUS_FILL = 0.35;
export const FOCUS_ZOOM_RANGE: readonly [number, number] = [1.5, 8];

/** Studies whose maps stay in memory (the open one and the one before). */
export const MAP_CACHE_STUDIES = 2;

export const OUTLINE_COLOUR = '#7dffb0';
export const SELECTED_COLOUR = '#ffe14d';
