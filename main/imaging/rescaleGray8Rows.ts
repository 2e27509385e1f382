/**
 * An 8-bit grey JPEG or PNG whose pixels are not square (a film squashed into a square copy),
 * stretched along its columns so they are, and PNG-encoded. Pure, so that it runs in the decode
 * worker (a 1600x1600 copy is 4 megapixels to interpolate and deflate: a second or more) or, for a
 * script without a worker, in the caller's thread.
 */
import { encode as encodePng } from 'fast-png';
import { decodeJpeg8Bit } from './codecs/libjpegTurbo.js';
import { describeThrown, ImageDecodeError } from './errors.js';
import { decodePng, isPng } from './rasterFormats.js';
import { resizeBilinear } from './resample.js';

/** What {@link rescaleGray8Rows} makes of a file. */
export interface RescaledGray8 {
  /** The decoded file's size. */
  readonly source: { readonly rows: number; readonly columns: number };
  /** The source's rows times the row scale, rounded. */
  readonly rows: number;
  readonly columns: number;
  /** The rescaled image as an 8-bit grey PNG. */
  readonly png: Uint8Array;
}

/**
 * Decodes an 8-bit grey JPEG (or PNG) and rescales it bilinearly to `rowScale` times its rows
 * (rounded), its columns unchanged.
 *
 * @throws ImageDecodeError naming why the bytes cannot be read (no file name: the caller has it).
 * @example
 * const square = await rescaleGray8Rows(await readFile('00001_LEFT_CC.jpg'), 1.7); // 800x800 -> 800 wide, 1360 tall
 */
export async function rescaleGray8Rows(bytes: Uint8Array, rowScale: number): Promise<RescaledGray8> {
  const source = await decodeGray8(bytes);
  const rows = Math.round(source.rows * rowScale);
  const pixels = resizeBilinear(source.pixels, source.rows, source.columns, rows, source.columns);
  return {
    source: { rows: source.rows, columns: source.columns },
    rows,
    columns: source.columns,
    png: encodePng({ width: source.columns, height: rows, data: pixels, channels: 1, depth: 8 }),
  };
}

async function decodeGray8(
  bytes: Uint8Array,
): Promise<{ rows: number; columns: number; pixels: Uint8Array }> {
  if (isPng(bytes)) {
    const raster = decodePng(bytes);
    if (raster.bitDepth !== 8)
      throw new ImageDecodeError('unsupported-image', `a ${raster.bitDepth}-bit PNG, expected 8-bit`);
    return { rows: raster.height, columns: raster.width, pixels: raster.samples as Uint8Array };
  }
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8)
    throw new ImageDecodeError('unknown-format', 'not a JPEG or PNG image');
  let frame;
  try {
    frame = await decodeJpeg8Bit(bytes);
  } catch (thrown) {
    if (thrown instanceof ImageDecodeError) throw thrown;
    throw new ImageDecodeError('codec-failed', describeThrown(thrown), undefined, { cause: thrown });
  }
  if (frame.components !== 1)
    throw new ImageDecodeError(
      'unsupported-image',
      `a ${frame.components}-component JPEG, expected grayscale`,
    );
  return { rows: frame.height, columns: frame.width, pixels: Uint8Array.from(frame.samples) };
}
