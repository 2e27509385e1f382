/** Window/level presets, relative to each image's own range so they suit 8-, 12- and 16-bit images. */

export interface VoiRange {
  lower: number;
  upper: number;
}

export interface WindowPreset {
  /** The number key that applies it. */
  key: string;
  name: string;
  /** The range to show, from the image's default window and its pixel range. */
  range(defaultRange: VoiRange, pixelRange: VoiRange): VoiRange;
}

function around(center: number, width: number): VoiRange {
  return { lower: center - width / 2, upper: center + width / 2 };
}

export const WINDOW_PRESETS: readonly WindowPreset[] = Object.freeze([
  { key: '1', name: 'Default', range: (d) => d },
  { key: '2', name: 'Full range', range: (_d, p) => p },
  { key: '3', name: 'High contrast', range: (d) => around((d.lower + d.upper) / 2, (d.upper - d.lower) / 2) },
  { key: '4', name: 'Low contrast', range: (d) => around((d.lower + d.upper) / 2, (d.upper - d.lower) * 2) },
]);

/** Width and centre as a reader reads them. */
export function describeVoi(range: VoiRange): { width: number; center: number } {
  return {
    width: Math.round(range.upper - range.lower),
    center: Math.round((range.upper + range.lower) / 2),
  };
}
