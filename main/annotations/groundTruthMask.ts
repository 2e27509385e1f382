import type { GroundTruthBox, GroundTruthFinding } from '../api/domain.js';
import { discMask } from './discMask.js';

/**
 * The label a ground-truth finding draws, in order of what is known of its shape: a real outline
 * (a mask the image's size), else the ellipse inscribed in its box (CBIS-DDSM boxes are tight around
 * a mass, which is roughly round: the box's corners are not lesion), else its circle (mini-MIAS).
 * Returns null when a finding has none of them (an image-level record without a centre).
 */
export function groundTruthMask(
  rows: number,
  columns: number,
  findings: readonly GroundTruthFinding[],
  /** Reads an outline's mask (rows x columns, > 0 inside) from its workspace path. */
  readOutline: (path: string) => Uint8Array,
): Uint8Array | null {
  const mask = new Uint8Array(rows * columns);
  for (const finding of findings) {
    if (finding.outlinePath) {
      const outline = readOutline(finding.outlinePath);
      for (let i = 0; i < mask.length; i++) if (outline[i]! > 0) mask[i] = 255;
    } else if (finding.box) {
      fillEllipse(mask, rows, columns, finding.box);
    } else if (finding.circle) {
      const disc = discMask(rows, columns, [finding.circle]);
      for (let i = 0; i < mask.length; i++) if (disc[i]) mask[i] = 255;
    } else {
      return null;
    }
  }
  return mask;
}

/** Sets the pixels whose centres lie inside the ellipse inscribed in the box. */
export function fillEllipse(mask: Uint8Array, rows: number, columns: number, box: GroundTruthBox): void {
  const a = box.width / 2;
  const b = box.height / 2;
  const cx = box.left + a;
  const cy = box.top + b;
  // Pixel (r, c) has its centre at (c + 0.5, r + 0.5) in the box's continuous frame.
  const top = Math.max(0, Math.floor(box.top));
  const bottom = Math.min(rows - 1, Math.ceil(box.top + box.height));
  for (let row = top; row <= bottom; row++) {
    const dy = (row + 0.5 - cy) / b;
    if (dy * dy > 1) continue;
    const half = a * Math.sqrt(1 - dy * dy);
    const left = Math.max(0, Math.ceil(cx - half - 0.5));
    const right = Math.min(columns - 1, Math.floor(cx + half - 0.5));
    if (right >= left) mask.fill(255, row * columns + left, row * columns + right + 1);
  }
}
