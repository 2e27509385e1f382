import { readFile, stat } from 'node:fs/promises';
import { ImageDecodeError } from './errors.js';
import { MAX_FILE_BYTES, megabytes } from './limits.js';

/** What a reader is told when the file system refuses a file, by error code. */
const UNREADABLE_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'cannot be opened: permission denied (this user may not read it)',
  EPERM: 'cannot be opened: permission denied (this user may not read it)',
  EISDIR: 'cannot be opened: it is a folder, not a file',
  EIO: 'cannot be read: the disk reported an input/output error',
};

/** A file-system refusal as a one-line {@link ImageDecodeError}; anything else as it is. */
function explainUnreadable(error: unknown, filePath: string): unknown {
  const reason = UNREADABLE_REASONS[(error as NodeJS.ErrnoException | undefined)?.code ?? ''];
  return reason ? new ImageDecodeError('unreadable-file', reason, filePath, { cause: error }) : error;
}

/**
 * Reads an image file whole, after judging it by its size: a file larger than any mammogram can
 * be is refused before a byte of it is read.
 *
 * @throws ImageDecodeError `unsupported-image` for an oversize file, `unreadable-file` for one the
 *   file system refuses (not allowed, a folder, a disk error).
 */
export async function readImageFile(filePath: string): Promise<Uint8Array> {
  try {
    return await readSizedFile(filePath);
  } catch (error) {
    throw explainUnreadable(error, filePath);
  }
}

async function readSizedFile(filePath: string): Promise<Uint8Array> {
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
