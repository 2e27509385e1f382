import type { GroundTruthBox } from '../../api/domain.js';
import type { DecodePool } from '../../imaging/DecodePool.js';
import { ImageDecodeError } from '../../imaging/errors.js';
import { rescaleGray8Rows } from '../../imaging/rescaleGray8Rows.js';
import { ImportRejection } from '../dicomMetadata.js';
import { CBIS_SQUASH_RATIO } from './squarePixels.js';

/** A CBIS-DDSM copy with its squash undone: what the importer stores and what evaluation reads. */
export interface SquareImage {
  /** The squashed copy's size, the frame its COCO boxes are in. */
  squashed: { rows: number; columns: number };
  rows: number;
  columns: number;
  /** The square-pixel image as an 8-bit grey PNG. */
  png: Uint8Array;
}

/** Decodes and rescales 8-bit images; {@link DecodePool} does it off the calling thread. */
export type Gray8Rescaler = Pick<DecodePool, 'rescaleGray8Rows'>;

/** For scripts without a pool, and the reference the worker's result is tested against. */
const IN_THIS_THREAD: Gray8Rescaler = {
  rescaleGray8Rows: (bytes, rowScale) => rescaleGray8Rows(bytes, rowScale),
};

/**
 * Decodes an 8-bit grey JPEG (or PNG) copy and rescales it to square pixels (bilinear, rows x
 * {@link CBIS_SQUASH_RATIO}, rounded). Import and evaluation both read images through this, in
 * the decode worker, so a model is measured on the pixels it was trained on.
 *
 * @param rescaler - where the pixel work runs: a `DecodePool` (import, evaluation); this thread
 *   when left out.
 * @throws ImportRejection naming why the bytes cannot be read.
 * @example
 * const square = await readSquareImage(await readImageFile(file), decodePool, signal);
 */
export async function readSquareImage(
  bytes: Uint8Array,
  rescaler: Gray8Rescaler = IN_THIS_THREAD,
  signal?: AbortSignal,
): Promise<SquareImage> {
  try {
    const { source, ...square } = await rescaler.rescaleGray8Rows(bytes, CBIS_SQUASH_RATIO, signal);
    return { squashed: source, ...square };
  } catch (error) {
    if (error instanceof ImageDecodeError)
      throw new ImportRejection(`cannot decode: ${error.reason}`, { cause: error });
    throw error;
  }
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
