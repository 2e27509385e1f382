import { encode } from 'fast-png';

export interface KeyImageOverlay {
  /** The reader's final mask (non-zero inside), drawn as a red outline. */
  mask: Uint8Array | null;
  /** AI finding boxes (inclusive pixel bounds), drawn in yellow. */
  boxes: { top: number; left: number; bottom: number; right: number }[];
  /** Reader-added finding centroids, drawn as cyan crosses. */
  points: { row: number; column: number }[];
}

/**
 * A downscaled RGB PNG of a display image with its overlays, for the PDF's key images.
 *
 * @example
 * const { png } = renderKeyImage(display, image.rows, image.columns, { mask, boxes: [], points: [] });
 */
export function renderKeyImage(
  display: Uint8Array,
  rows: number,
  columns: number,
  overlay: KeyImageOverlay,
  maxSize = 512,
): { png: Uint8Array; width: number; height: number } {
  const scale = Math.min(1, maxSize / Math.max(rows, columns));
  const width = Math.max(1, Math.round(columns * scale));
  const height = Math.max(1, Math.round(rows * scale));
  const source = (y: number, x: number) =>
    Math.min(rows - 1, Math.floor(y / scale)) * columns + Math.min(columns - 1, Math.floor(x / scale));
  const rgb = new Uint8Array(width * height * 3);
  const inside = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = source(y, x);
      const v = display[i]!;
      rgb.set([v, v, v], (y * width + x) * 3);
      if (overlay.mask?.[i]) inside[y * width + x] = 1;
    }
  }
  const paint = (y: number, x: number, color: readonly [number, number, number]) => {
    if (y >= 0 && x >= 0 && y < height && x < width) rgb.set(color, (y * width + x) * 3);
  };
  if (overlay.mask) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!inside[y * width + x]) continue;
        const edge =
          y === 0 ||
          x === 0 ||
          y === height - 1 ||
          x === width - 1 ||
          !inside[(y - 1) * width + x] ||
          !inside[(y + 1) * width + x] ||
          !inside[y * width + x - 1] ||
          !inside[y * width + x + 1];
        if (edge) paint(y, x, [255, 40, 40]);
      }
    }
  }
  for (const box of overlay.boxes) {
    const top = Math.floor(box.top * scale) - 2;
    const bottom = Math.ceil((box.bottom + 1) * scale) + 1;
    const left = Math.floor(box.left * scale) - 2;
    const right = Math.ceil((box.right + 1) * scale) + 1;
    for (let x = left; x <= right; x++) {
      paint(top, x, [255, 220, 0]);
      paint(bottom, x, [255, 220, 0]);
    }
    for (let y = top; y <= bottom; y++) {
      paint(y, left, [255, 220, 0]);
      paint(y, right, [255, 220, 0]);
    }
  }
  for (const point of overlay.points) {
    const y = Math.round(point.row * scale);
    const x = Math.round(point.column * scale);
    for (let d = -6; d <= 6; d++) {
      paint(y + d, x, [0, 220, 255]);
      paint(y, x + d, [0, 220, 255]);
    }
  }
  return { png: encode({ width, height, data: rgb, channels: 3, depth: 8 }), width, height };
}
