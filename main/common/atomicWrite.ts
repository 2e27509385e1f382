import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/** `fs.writeSync`'s buffer form: may write fewer bytes than asked (a full disk) and says how many. */
export type WriteSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** The write call; tests inject one that returns short counts. */
  readonly write?: WriteSync;
}

/** The name {@link writeFileAtomic} gives its temp files; one still there later was left by a crash. */
export const ATOMIC_TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes a file so that readers see either the old content or the new, never half of it: write
 * every byte to a temp file in the same folder, fsync it, rename it over the target, then fsync
 * the folder so the rename itself survives a power cut. A write that cannot place every byte
 * (ENOSPC, or a call that keeps returning 0) throws and leaves the target untouched.
 */
export function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): void {
  const write = options.write ?? writeSync;
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const written = write(fd, bytes, offset, bytes.length - offset);
      if (!(written > 0)) {
        throw new Error(
          `could not write ${basename(target)}: only ${offset} of ${bytes.length} bytes were written`,
        );
      }
      offset += written;
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncFolder(dirname(target));
}

/** Makes a rename in `folder` durable. Windows cannot open folders for fsync; there NTFS journals it. */
export function fsyncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!['EINVAL', 'EPERM', 'EISDIR', 'ENOTSUP'].includes((error as NodeJS.ErrnoException).code ?? ''))
      throw error;
  } finally {
    closeSync(fd);
  }
}
