import { readFile, stat } from 'node:fs/promises';
import { ImageDecodeError } from './errors.js';
import { MAX_FILE_BYTES, megabytes } from './limits.js';

/**
 * Reads an image file whole, after judging it by its size: a file larger than any mammogram can
 * be is refused before a byte of it is read.
 *
 * @throws ImageDecodeError `unsupported-image` for an oversize file.
 */
export async function readImageFile(filePath: string): Promise<Uint8Array> {
  const { size } = await stat(filePath);
  if (size > MAX_FILE_BYTES) {
    throw new ImageDecodeError(
      'unsupported-image',
      `the file is ${megabytes(size)}, larger than any mammogram (limit ${megabytes(MAX_FILE_BYTES)})`,
      filePath,
    );
  }
  return readFile(filePath);
}
