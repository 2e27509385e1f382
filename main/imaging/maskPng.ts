/**
 * A reader's mask as a client sends it (a PNG of any colour type) turned into what is stored: one
 * byte per pixel, 0 or 255, checked against its image's size, and its canonical 8-bit grey PNG.
 * Pure, so that it runs in the decode worker (a full-field mask is 13 megapixels to inflate,
 * threshold and deflate) or, without a worker, in the caller's thread.
 */
import { decode, encode } from 'fast-png';

export interface CheckedMask {
  /** rows x columns bytes, 255 where the mask is set. */
  readonly mask: Uint8Array;
  /** The mask as an 8-bit one-channel PNG (what the workspace stores). */
  readonly png: Uint8Array;
  /** How many pixels are set. */
  readonly positivePixels: number;
}

/**
 * @example
 * const { mask, png } = checkMaskPng(Buffer.from(request.maskPng, 'base64'), image.rows, image.columns);
 */
export function checkMaskPng(bytes: Uint8Array, rows: number, columns: number): CheckedMask {
  let image;
  try {
    image = decode(bytes);
  } catch (error) {
    throw new Error(`mask: not a PNG (${(error as Error).message})`, { cause: error });
  }
  if (image.width !== columns || image.height !== rows) {
    throw new Error(`mask: ${image.width}x${image.height} does not match the image (${columns}x${rows})`);
  }
  const mask = new Uint8Array(rows * columns);
  let positivePixels = 0;
  for (let i = 0; i < mask.length; i++) {
    if (image.data[i * image.channels]! > 0) {
      mask[i] = 255;
      positivePixels++;
    }
  }
  const png = encode({ width: columns, height: rows, data: mask, channels: 1, depth: 8 });
  return { mask, png, positivePixels };
}
