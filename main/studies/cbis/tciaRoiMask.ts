/**
 * A CBIS-DDSM abnormality's ROI mask, found by content. In the TCIA download the mask and the
 * cropped image sit in one folder as 000000.dcm / 000001.dcm, and which is which varies: the mask
 * is the one the size of its full mammogram, with two values (0 and 255).
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import type { GroundTruthBox, GroundTruthCircle } from '../../api/domain.js';
import { parseDicomHeader } from '../../imaging/dicomFile.js';
import { readPixelModule } from '../../imaging/dicomPixelData.js';
import { ImageDecodeError } from '../../imaging/errors.js';
import { readImageFile } from '../../imaging/readImageFile.js';
import { ImportRejection } from '../dicomMetadata.js';
import type { PixelDecoder } from '../StudyImporter.js';

/** A real outline: the mask, where it lies, and the circle that encloses it. */
export interface RoiOutline {
  /** The DICOM it was read from. */
  file: string;
  /** rows x columns bytes, 255 inside. */
  mask: Uint8Array;
  /** The mask as an 8-bit grey PNG (what the workspace stores). */
  png: Uint8Array;
  /** Bounding box of the set pixels, in pixel edges (a single pixel c is left c, width 1). */
  box: GroundTruthBox;
  /** Centred on the box (pixel-centre coordinates), through the farthest set pixel's far corner. */
  circle: GroundTruthCircle;
}

/**
 * Reads the outline of one abnormality: among the named files and the other DICOM files of their
 * folders, the one the image's size whose pixels take two values.
 *
 * @param named - the row's ROI mask path and cropped image path, resolved (either may be the mask).
 * @throws ImportRejection in one line naming what was found instead.
 */
export async function readRoiOutline(
  named: readonly string[],
  rows: number,
  columns: number,
  decoder: PixelDecoder,
): Promise<RoiOutline> {
  const candidates = [
    ...new Set(
      named.flatMap((file) => [
        file,
        ...readdirSync(dirname(file))
          .filter((name) => name.toLowerCase().endsWith('.dcm'))
          .sort()
          .map((name) => join(dirname(file), name)),
      ]),
    ),
  ];
  const sizes: string[] = [];
  const notBinary: string[] = [];
  for (const file of candidates) {
    const size = await dicomSize(file);
    sizes.push(`${basename(file)} ${size}`);
    if (size !== `${columns}x${rows}`) continue;
    const decoded = await decoder.decode(file).catch((error: unknown) => {
      if (error instanceof ImageDecodeError) throw new ImportRejection(error.reason, { cause: error });
      throw error;
    });
    const outline = binaryOutline(decoded.stored, rows, columns);
    if (typeof outline === 'string') notBinary.push(`${basename(file)} ${outline}`);
    else return { file, ...outline };
  }
  const folder = dirname(named[0]!);
  if (notBinary.length)
    throw new ImportRejection(`ROI mask in ${folder}: ${notBinary.join('; ')}, not a 0/255 mask`);
  throw new ImportRejection(
    `ROI mask in ${folder}: none is the size of its full mammogram (${columns}x${rows}): ${sizes.join(', ')}`,
  );
}

/** `COLUMNSxROWS` from the header alone; a file that is not a readable DICOM says why. */
async function dicomSize(file: string): Promise<string> {
  try {
    const { dataSet } = await parseDicomHeader(await readImageFile(file), file);
    const { rows, columns } = readPixelModule(dataSet);
    return `${columns}x${rows}`;
  } catch (error) {
    if (error instanceof ImageDecodeError) return `(unreadable: ${error.reason})`;
    throw error;
  }
}

/** The outline when the pixels hold 0 and one other value (and some of it); else why not. */
function binaryOutline(
  stored: ArrayLike<number>,
  rows: number,
  columns: number,
): Omit<RoiOutline, 'file'> | string {
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
    else if (value !== inside) return `holds more than two values (0, ${inside}, ${value}, ...)`;
    mask[i] = 255;
    const row = (i / columns) | 0;
    const column = i - row * columns;
    if (row < top) top = row;
    if (row > bottom) bottom = row;
    if (column < left) left = column;
    if (column > right) right = column;
  }
  if (inside === null) return 'is empty (every pixel 0)';
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
    mask,
    png: encodePng({ width: columns, height: rows, data: mask, channels: 1, depth: 8 }),
    box: { left, top, width: right - left + 1, height: bottom - top + 1 },
    // The pixel's far corner is half a diagonal beyond its centre.
    circle: { centerColumn, centerRow, radius: Math.sqrt(farthest) + Math.SQRT1_2 },
  };
}
