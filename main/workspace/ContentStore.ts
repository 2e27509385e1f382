import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomicAsync, type AsyncAtomicWriteOptions } from '../common/atomicWrite.js';
import { sha256HexOfFile } from '../common/sha256.js';
import type { Workspace } from './Workspace.js';

/**
 * Imported files, stored by content hash: the same bytes are kept once, and a file the database
 * points to can never be overwritten with different content.
 */
export class ContentStore {
  constructor(
    private readonly workspace: Workspace,
    private readonly writeOptions: AsyncAtomicWriteOptions = {},
  ) {}

  /**
   * Stores the bytes (atomically, once) and returns the workspace-relative path. A file already
   * under that name is trusted only if its content still has that hash: one left short or damaged
   * (a full disk, a failing drive) is replaced with these bytes. Reads and writes are asynchronous:
   * an import's store write (a 27 MB file and its fsync) does not hold a server's thread.
   */
  async put(bytes: Uint8Array, sha256: string, extension: string): Promise<string> {
    const folder = join(this.workspace.root, 'store', sha256.slice(0, 2));
    const target = join(folder, `${sha256}.${extension}`);
    const existingSha256 = await sha256HexOfFile(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (existingSha256 !== sha256) {
      await mkdir(folder, { recursive: true });
      await writeFileAtomicAsync(target, bytes, this.writeOptions);
    }
    return this.workspace.relativePath(target);
  }

  /** Removes a stored file that nothing records (bytes an import refused); absent is fine. */
  async remove(path: string): Promise<void> {
    await rm(this.workspace.resolvePath(path), { force: true });
  }
}
