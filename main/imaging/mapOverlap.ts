/**
 * How a stored probability map (an 8-bit grey PNG, 0..255 for 0..1) at a threshold overlaps a
 * reader's mask, pixel by pixel. Pure, so that it runs in the decode worker: a full-field map is
 * 13 megapixels to inflate and compare.
 */
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import { countPixels, type PixelCounts } from '../evaluation/pixelMetrics.js';

/**
 * @param level - the map level (0..255) at or above which a pixel is predicted; a zero pixel is
 *   never predicted, even at level 0.
 * @param mask - the reader's mask, > 0 inside, the map's size.
 */
export function countMapOverlap(mapPng: Uint8Array, mask: Uint8Array, level: number): PixelCounts {
  return countPixels(decode(mapPng).data, mask, Math.max(1, level));
}

/** {@link countMapOverlap} of a map file. */
export async function countMapFileOverlap(
  mapPath: string,
  mask: Uint8Array,
  level: number,
): Promise<PixelCounts> {
  return countMapOverlap(await readFile(mapPath), mask, level);
}
