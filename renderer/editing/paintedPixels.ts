/**
 * Which pixels an added finding painted and still holds (AddedFinding.painted), so that removing it
 * gives back exactly the mask the reader had before it, within its outline. Pure code.
 */
import type { AnnotationFindings } from '../../main/api/annotations.js';
import type { MaskChange } from './EditHistory.js';
import type { PixelBounds } from './maskRaster.js';
import { pixelsOfRuns, pixelsWithout, runsMeet, runsOfPixels } from './pixelRuns.js';

/** The pixels off in `before` and on in `after` inside `box`, ascending. */
export function pixelsTurnedOnIn(
  before: Uint8Array,
  after: Uint8Array,
  columns: number,
  box: PixelBounds,
): Uint32Array {
  const pixels: number[] = [];
  for (let row = box.top; row <= box.bottom; row++)
    for (let i = row * columns + box.left; i <= row * columns + box.right; i++)
      if (!before[i] && after[i]) pixels.push(i);
  return Uint32Array.from(pixels);
}

/** The pixels a mask change turned on, ascending (as the change lists them). */
export function pixelsTurnedOnBy(change: MaskChange): Uint32Array {
  const pixels: number[] = [];
  for (let k = 0; k < change.indices.length; k++)
    if (!change.before[k] && change.after[k]) pixels.push(change.indices[k]!);
  return Uint32Array.from(pixels);
}

/**
 * A later edit takes over the pixels it turned on (`pixels`, ascending): they leave every added
 * finding's painted runs, so removing that finding no longer takes them. (A pixel an added finding
 * painted is on; it can only be turned on again after the reader erased it.) Null when no finding
 * holds any of them.
 */
export function claimPaintedPixels(
  findings: AnnotationFindings,
  pixels: Uint32Array,
  columns: number,
  rows: number,
): AnnotationFindings | null {
  if (!pixels.length || !findings.added.some((f) => f.painted && runsMeet(f.painted, columns, pixels)))
    return null;
  const added = findings.added.map((finding) =>
    finding.painted && runsMeet(finding.painted, columns, pixels)
      ? {
          ...finding,
          painted: runsOfPixels(pixelsWithout(pixelsOfRuns(finding.painted, columns, rows), pixels), columns),
        }
      : finding,
  );
  return { ...findings, added };
}
