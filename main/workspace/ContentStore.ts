import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicWrite.js';
import type { Workspace } from './Workspace.js';

/**
 * Imported files, stored by content hash: the same bytes are kept once, and a file the database
 * points to can never be overwritten with different content.
 */
export class ContentStore {
  constructor(private readonly workspace: Workspace) {}

  /** Stores the bytes (atomically, once) and returns the workspace-relative path. */
  put(bytes: Uint8Array, sha256: string, extension: string): string {
    const folder = join(this.workspace.root, 'store', sha256.slice(0, 2));
    const target = join(folder, `${sha256}.${extension}`);
    if (!existsSync(target)) {
      mkdirSync(folder, { recursive: true });
      writeFileAtomic(target, bytes);
    }
    return this.workspace.relativePath(target);
  }
}
