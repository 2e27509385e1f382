/**
 * A CBIS-DDSM abnormality's ROI mask, found by content. In the TCIA download the mask and the
 * cropped image sit in one folder as 000000.dcm / 000001.dcm, and which is which varies: the mask
 * is the one the size of its full mammogram, with two values (0 and 255). Decoding, checking and
 * encoding a full-size mask run in the decode worker (seconds for a 3000x4800 film).
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { GroundTruthBox, GroundTruthCircle } from '../../api/domain.js';
import type { DecodePool } from '../../imaging/DecodePool.js';
import { readPixelModule } from '../../imaging/dicomPixelData.js';
import { ImageDecodeError } from '../../imaging/errors.js';
import { readDicomHeaderFile } from '../../imaging/readImageFile.js';
import { ImportRejection } from '../dicomMetadata.js';

/** Reads mask files off the calling thread; {@link DecodePool} is one. */
export type RoiMaskReader = Pick<DecodePool, 'readBinaryMask'>;

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
  reader: RoiMaskReader,
  signal?: AbortSignal,
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
    const reading = await reader.readBinaryMask(file, signal).catch((error: unknown) => {
      if (error instanceof ImageDecodeError) throw new ImportRejection(error.reason, { cause: error });
      throw error;
    });
    if ('notBinary' in reading) notBinary.push(`${basename(file)} ${reading.notBinary}`);
    else return { file, ...reading.binary };
  }
  const folder = dirname(named[0]!);
  if (notBinary.length)
    throw new ImportRejection(`ROI mask in ${folder}: ${notBinary.join('; ')}, not a 0/255 mask`);
  throw new ImportRejection(
    `ROI mask in ${folder}: none is the size of its full mammogram (${columns}x${rows}): ${sizes.join(', ')}`,
  );
}

/**
 * `COLUMNSxROWS` from the header alone (the file's first kilobytes: a candidate may be a 14 MB
 * mask); a file that is not a readable DICOM says why.
 */
async function dicomSize(file: string): Promise<string> {
  try {
    const { dataSet } = await readDicomHeaderFile(file);
    const { rows, columns } = readPixelModule(dataSet);
    return `${columns}x${rows}`;
  } catch (error) {
    if (error instanceof ImageDecodeError) return `(unreadable: ${error.reason})`;
    throw error;
  }
}
