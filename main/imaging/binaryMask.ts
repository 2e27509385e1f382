/**
 * A mask image told by its content: every pixel 0 or one other value. Kept as a 0/255 mask with
 * its 8-bit grey PNG, the box around it and the circle that encloses it. Pure, so that it runs in
 * the decode worker (a full-field mask is 14 megapixels to scan and deflate: seconds) rather than
 * on a server's thread.
 */
import { encode as encodePng } from 'fast-png';
import { decodeImageFile } from './decodeImage.js';

/** A binary mask and where it lies, in its image's pixels. */
export interface BinaryMask {
  /** rows x columns bytes, 255 inside. */
  readonly mask: Uint8Array;
  /** The mask as an 8-bit grey PNG. */
  readonly png: Uint8Array;
  /** Bounding box of the set pixels, in pixel edges (a single pixel c is left c, width 1). */
  readonly box: { left: number; top: number; width: number; height: number };
  /** Centred on the box (pixel-centre coordinates), through the farthest set pixel's far corner. */
  readonly circle: { centerColumn: number; centerRow: number; radius: number };
}

/** A binary mask, or why the pixels are not one (in words, to follow the file's name). */
export type BinaryMaskReading = { readonly binary: BinaryMask } | { readonly notBinary: string };

/**
 * Decodes an image file and reads it as a binary mask.
 *
 * @throws ImageDecodeError when the file cannot be decoded.
 */
export async function readBinaryMaskFile(filePath: string): Promise<BinaryMaskReading> {
  const image = await decodeImageFile(filePath);
  return binaryMaskOf(image.stored, image.rows, image.columns);
}

/** The mask when the pixels hold 0 and one other value (and some of it); else why not. */
export function binaryMaskOf(stored: ArrayLike<number>, rows: number, columns: number): BinaryMaskReading {
  let inside: number | null = null;
  const mask = new Uint8Array(rows * columns);
  let top = rows;
  let bottom = -1;
  let left = columns;
  let right = -1;
  for (let i = 0; i < mask.length; i++) {
    const value = stored[i]!;
    if (value === 0) continue;
    if (inside === null) inside = value;
    else if (value !== inside)
      return { notBinary: `holds more than two values (0, ${inside}, ${value}, ...)` };
    mask[i] = 255;
    const row = (i / columns) | 0;
    const column = i - row * columns;
    if (row < top) top = row;
    if (row > bottom) bottom = row;
    if (column < left) left = column;
    if (column > right) right = column;
  }
  if (inside === null) return { notBinary: 'is empty (every pixel 0)' };
  const centerColumn = (left + right) / 2;
  const centerRow = (top + bottom) / 2;
  let farthest = 0;
  for (let row = top; row <= bottom; row++)
    for (let column = left; column <= right; column++)
      if (mask[row * columns + column]) {
        const d = (column - centerColumn) ** 2 + (row - centerRow) ** 2;
        if (d > farthest) farthest = d;
      }
  return {
    binary: {
      mask,
      png: encodePng({ width: columns, height: rows, data: mask, channels: 1, depth: 8 }),
      box: { left, top, width: right - left + 1, height: bottom - top + 1 },
      // The pixel's far corner is half a diagonal beyond its centre.
      circle: { centerColumn, centerRow, radius: Math.sqrt(farthest) + Math.SQRT1_2 },
    },
  };
}
