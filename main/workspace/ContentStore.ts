import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  fsyncFolderAsync,
  ownedTempPath,
  writeAllAsync,
  writeFileAtomicAsync,
  type AsyncAtomicWriteOptions,
} from '../common/atomicWrite.js';
import { forEachFileChunk } from '../common/fileChunks.js';
import { HASH_CHUNK_BYTES, sha256HexOfFile } from '../common/sha256.js';
import type { Workspace } from './Workspace.js';

/** A file the store holds: its workspace-relative path, its content's sha256 and its length. */
export interface StoredFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

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
    const target = this.targetOf(sha256, extension);
    if ((await storedSha256(target)) !== sha256) {
      await mkdir(dirname(target), { recursive: true });
      await writeFileAtomicAsync(target, bytes, this.writeOptions);
    }
    return this.workspace.relativePath(target);
  }

  /**
   * Stores a file's content without ever holding it whole: it is streamed into a temp file in the
   * store and hashed chunk by chunk as it is copied, so the bytes kept are the bytes hashed, then
   * renamed to its hash's name (or dropped where an intact copy is already there), as {@link put}
   * would. Only one chunk of {@link HASH_CHUNK_BYTES} at a time passes through this thread.
   *
   * @param expectedSha256 - the content's hash when it is known already: an intact stored copy is
   *   then trusted without reading `source`, and a source whose content is no longer that is
   *   refused with nothing stored.
   * @throws Error when `source` cannot be read, the store cannot be written, or `source` changed.
   */
  async putFile(source: string, extension: string, expectedSha256?: string): Promise<StoredFile> {
    if (expectedSha256 !== undefined) {
      const target = this.targetOf(expectedSha256, extension);
      if ((await storedSha256(target)) === expectedSha256)
        return {
          path: this.workspace.relativePath(target),
          sha256: expectedSha256,
          bytes: (await stat(target)).size,
        };
    }
    const storeRoot = join(this.workspace.root, 'store');
    await mkdir(storeRoot, { recursive: true });
    // Named as an atomic write's temp file, so one a crash leaves is swept when a workspace opens.
    const incoming = ownedTempPath(join(storeRoot, `incoming.${extension}`));
    try {
      const { sha256, bytes } = await this.copyHashing(source, incoming);
      if (expectedSha256 !== undefined && sha256 !== expectedSha256)
        throw new Error('the file changed while it was being copied into the workspace; import it again');
      const target = this.targetOf(sha256, extension);
      if ((await storedSha256(target)) !== sha256) {
        await mkdir(dirname(target), { recursive: true });
        await rename(incoming, target);
        await fsyncFolderAsync(dirname(target));
      }
      return { path: this.workspace.relativePath(target), sha256, bytes };
    } finally {
      await rm(incoming, { force: true });
    }
  }

  /** Removes a stored file that nothing records (bytes an import refused); absent is fine. */
  async remove(path: string): Promise<void> {
    await rm(this.workspace.resolvePath(path), { force: true });
  }

  private targetOf(sha256: string, extension: string): string {
    return join(this.workspace.root, 'store', sha256.slice(0, 2), `${sha256}.${extension}`);
  }

  /** Copies `source` to a new file `temp` (fsynced), hashing what it copies. */
  private async copyHashing(source: string, temp: string): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    const handle = await open(temp, 'wx');
    let bytes: number;
    try {
      let written = 0;
      bytes = await forEachFileChunk(source, HASH_CHUNK_BYTES, async (chunk) => {
        hash.update(chunk);
        await writeAllAsync(
          handle,
          chunk,
          (offset) =>
            new Error(`could not store ${basename(source)}: only ${written + offset} bytes were written`),
          this.writeOptions.write,
        );
        written += chunk.length;
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { sha256: hash.digest('hex'), bytes };
  }
}

/** The sha256 of a stored file, or null where there is none. */
function storedSha256(target: string): Promise<string | null> {
  return sha256HexOfFile(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}
