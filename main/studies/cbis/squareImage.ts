import { encode as encodePng } from 'fast-png';
import type { GroundTruthBox } from '../../api/domain.js';
import { decodeJpeg8Bit } from '../../imaging/codecs/libjpegTurbo.js';
import { decodePng, isPng } from '../../imaging/rasterFormats.js';
import { resizeBilinear } from '../../imaging/resample.js';
import { ImportRejection } from '../dicomMetadata.js';
import { squarePixelSize } from './squarePixels.js';

/** A CBIS-DDSM copy with its squash undone: what the importer stores and what evaluation reads. */
export interface SquareImage {
  /** The squashed copy's size, the frame its COCO boxes are in. */
  squashed: { rows: number; columns: number };
  rows: number;
  columns: number;
  /** The square-pixel image as an 8-bit grey PNG. */
  png: Uint8Array;
}

/**
 * Decodes an 8-bit grey JPEG (or PNG) copy and rescales it to square pixels (bilinear). Import and
 * evaluation both read images through this, so a model is measured on the pixels it was trained on.
 *
 * @throws ImportRejection naming why the bytes cannot be read.
 */
export async function readSquareImage(bytes: Uint8Array): Promise<SquareImage> {
  const squashed = await decodeGray8(bytes);
  const size = squarePixelSize(squashed.rows, squashed.columns);
  const pixels = resizeBilinear(squashed.pixels, squashed.rows, squashed.columns, size.rows, size.columns);
  return {
    squashed: { rows: squashed.rows, columns: squashed.columns },
    ...size,
    png: encodePng({ width: size.columns, height: size.rows, data: pixels, channels: 1, depth: 8 }),
  };
}

/** A box of the squashed copy's frame (COCO x, y, width, height) in the square-pixel image's frame. */
export function squareBox(
  box: { x: number; y: number; width: number; height: number },
  image: Pick<SquareImage, 'squashed' | 'rows' | 'columns'>,
): GroundTruthBox {
  const scaleColumns = image.columns / image.squashed.columns;
  const scaleRows = image.rows / image.squashed.rows;
  return {
    left: box.x * scaleColumns,
    top: box.y * scaleRows,
    width: box.width * scaleColumns,
    height: box.height * scaleRows,
  };
}

async function decodeGray8(
  bytes: Uint8Array,
): Promise<{ rows: number; columns: number; pixels: Uint8Array }> {
  try {
    if (isPng(bytes)) {
      const raster = decodePng(bytes);
      if (raster.bitDepth !== 8) throw new Error(`a ${raster.bitDepth}-bit PNG, expected 8-bit`);
      return { rows: raster.height, columns: raster.width, pixels: raster.samples as Uint8Array };
    }
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG or PNG image');
    const frame = await decodeJpeg8Bit(bytes);
    if (frame.components !== 1) throw new Error(`a ${frame.components}-component JPEG, expected grayscale`);
    return { rows: frame.height, columns: frame.width, pixels: Uint8Array.from(frame.samples) };
  } catch (error) {
    throw new ImportRejection(`cannot decode: ${(error as Error).message}`, { cause: error });
  }
}
