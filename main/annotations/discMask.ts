import type { GroundTruthCircle } from '../api/domain.js';

/**
 * Rasterises ground-truth circles into a binary mask (255 inside, 0 outside), rows from the top.
 * A pixel is inside when its centre lies within the radius.
 */
export function discMask(rows: number, columns: number, circles: readonly GroundTruthCircle[]): Uint8Array {
  const mask = new Uint8Array(rows * columns);
  for (const { centerColumn, centerRow, radius } of circles) {
    const r2 = radius * radius;
    const top = Math.max(0, Math.ceil(centerRow - radius));
    const bottom = Math.min(rows - 1, Math.floor(centerRow + radius));
    for (let row = top; row <= bottom; row++) {
      const dy = row - centerRow;
      const half = Math.sqrt(Math.max(0, r2 - dy * dy));
      const left = Math.max(0, Math.ceil(centerColumn - half));
      const right = Math.min(columns - 1, Math.floor(centerColumn + half));
      if (right >= left) mask.fill(255, row * columns + left, row * columns + right + 1);
    }
  }
  return mask;
}
