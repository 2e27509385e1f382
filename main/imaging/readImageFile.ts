import { open, readFile, stat } from 'node:fs/promises';
import { parseDicomHeader, parseDicomHeaderPrefix, type ParsedDicom } from './dicomFile.js';
import { ImageDecodeError } from './errors.js';
import { MAX_FILE_BYTES, MAX_HEADER_BYTES, megabytes } from './limits.js';

/** The first read of a header: a mammogram's header is a few kilobytes (a CBIS-DDSM film's, 1.3). */
const FIRST_HEADER_READ_BYTES = 64 * 1024;

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

/**
 * A DICOM file's header (the elements up to Pixel Data) read from the file's first bytes, not the
 * whole file: 64 KB, then four times more while Pixel Data's header is not in them, up to
 * {@link MAX_HEADER_BYTES}. A header larger than that, a deflated data set or encapsulated pixels
 * are read whole and parsed by {@link parseDicomHeader}. The result is `headerOnly`; its
 * `streamBytes` lets the import judge the pixel bytes present.
 *
 * @throws ImageDecodeError as {@link readImageFile} and {@link parseDicomHeader} do.
 */
export async function readDicomHeaderFile(filePath: string): Promise<ParsedDicom> {
  try {
    const file = await open(filePath, 'r');
    try {
      const { size } = await file.stat();
      if (size > MAX_FILE_BYTES) return await parseDicomHeader(await readSizedFile(filePath), filePath);
      for (let length = Math.min(size, FIRST_HEADER_READ_BYTES); length < size;) {
        const prefix = new Uint8Array(length);
        const { bytesRead } = await file.read(prefix, 0, length, 0);
        const parsed = parseDicomHeaderPrefix(prefix.subarray(0, bytesRead), size, filePath);
        if (parsed) return parsed;
        if (length >= MAX_HEADER_BYTES) break;
        length = Math.min(size, length * 4, MAX_HEADER_BYTES);
      }
      return await parseDicomHeader(await readSizedFile(filePath), filePath);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw explainUnreadable(error, filePath);
  }
}
