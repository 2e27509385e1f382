import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type AtomicWriteOptions } from '../common/atomicWrite.js';
import { sha256Hex } from '../common/sha256.js';
import type { Workspace } from './Workspace.js';

/**
 * Imported files, stored by content hash: the same bytes are kept once, and a file the database
 * points to can never be overwritten with different content.
 */
export class ContentStore {
  constructor(
    private readonly workspace: Workspace,
    private readonly writeOptions: AtomicWriteOptions = {},
  ) {}

  /**
   * Stores the bytes (atomically, once) and returns the workspace-relative path. A file already
   * under that name is trusted only if its content still has that hash: one left short or damaged
   * (a full disk, a failing drive) is replaced with these bytes.
   */
  put(bytes: Uint8Array, sha256: string, extension: string): string {
    const folder = join(this.workspace.root, 'store', sha256.slice(0, 2));
    const target = join(folder, `${sha256}.${extension}`);
    if (!existsSync(target) || sha256Hex(readFileSync(target)) !== sha256) {
      mkdirSync(folder, { recursive: true });
      writeFileAtomic(target, bytes, this.writeOptions);
    }
    return this.workspace.relativePath(target);
  }
}
