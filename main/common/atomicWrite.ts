import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** `fs.writeSync`'s buffer form: may write fewer bytes than asked (a full disk) and says how many. */
export type WriteSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** `FileHandle.write`'s buffer form, resolving with the count written, as {@link WriteSync}. */
export type WriteAsync = (
  handle: FileHandle,
  buffer: Uint8Array,
  offset: number,
  length: number,
) => Promise<number>;

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** The write call; tests inject one that returns short counts. */
  readonly write?: WriteSync;
}

/** Options for {@link writeFileAtomicAsync}. */
export interface AsyncAtomicWriteOptions {
  /** The write call; tests inject one that returns short counts. */
  readonly write?: WriteAsync;
}

/**
 * The name {@link writeFileAtomic} gives its temp files: `.NAME.PID-HEX.tmp`, the writing process's
 * id first, so that a start can tell one a dead process left (gone, whatever its age) from one a
 * live process is writing. Older temp names have no PID. Group 1 is the PID when there is one.
 */
export const ATOMIC_TEMP_NAME = /^\..+\.(?:(\d+)-)?[0-9a-f]{12}\.tmp$/;

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
  const temp = ownedTempPath(target);
  const fd = openSync(temp, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const written = write(fd, bytes, offset, bytes.length - offset);
      if (!(written > 0)) throw shortWriteError(target, offset, bytes.length);
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

const writeToHandle: WriteAsync = async (handle, buffer, offset, length) =>
  (await handle.write(buffer, offset, length)).bytesWritten;

/**
 * Writes every byte of `data` at the handle's position, looping over short writes; a write that
 * takes nothing (a full disk) throws `onShort(bytes written so far)`.
 */
export async function writeAllAsync(
  handle: FileHandle,
  data: Uint8Array,
  onShort: (offset: number) => Error,
  write: WriteAsync = writeToHandle,
): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const written = await write(handle, data, offset, data.length - offset);
    if (!(written > 0)) throw onShort(offset);
    offset += written;
  }
}

/**
 * {@link writeFileAtomic} with every write and fsync on libuv's thread pool, for large files on a
 * server's thread: a 27 MB mammogram's write and fsync held it 250-300 ms.
 */
export async function writeFileAtomicAsync(
  target: string,
  data: Uint8Array,
  options: AsyncAtomicWriteOptions = {},
): Promise<void> {
  await writeAtomicAsync(target, (handle) =>
    writeAllAsync(handle, data, (offset) => shortWriteError(target, offset, data.length), options.write),
  );
}

/**
 * Creates `target` atomically from whatever `fill` writes to the handle: a temp file of its own
 * beside the target, fsync, rename, fsync of the folder, all off the calling thread. On any
 * failure (`fill`'s included) the temp file is removed and the target is untouched.
 */
export async function writeAtomicAsync(
  target: string,
  fill: (handle: FileHandle) => Promise<void>,
): Promise<void> {
  const temp = ownedTempPath(target);
  // 'wx': the random name is this writer's alone; an existing file there is an error, not shared.
  const handle = await open(temp, 'wx');
  try {
    await fill(handle);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncFolderAsync(dirname(target));
}

/**
 * A temp path beside the target that matches {@link ATOMIC_TEMP_NAME} and names this process as
 * its owner: for a file, or a folder an export fills before renaming it into place.
 */
export function ownedTempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

function shortWriteError(target: string, written: number, total: number): Error {
  return new Error(`could not write ${basename(target)}: only ${written} of ${total} bytes were written`);
}

/** Errors of fsync on a folder where the system does not support it (the rename still happened). */
function isFolderFsyncUnsupported(error: unknown): boolean {
  return ['EINVAL', 'EPERM', 'EISDIR', 'ENOTSUP'].includes((error as NodeJS.ErrnoException).code ?? '');
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
    if (!isFolderFsyncUnsupported(error)) throw error;
  } finally {
    closeSync(fd);
  }
}

/** {@link fsyncFolder} off the calling thread. */
export async function fsyncFolderAsync(folder: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(folder, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isFolderFsyncUnsupported(error)) throw error;
  } finally {
    await handle.close();
  }
}
