import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportError } from '../api/importing.js';
import { UNREADABLE_PATH_REASON, isUnreadablePathError } from './unreadablePath.js';

export interface ScanResult {
  files: string[];
  errors: ImportError[];
}

/**
 * Lists the files under the given paths (folders recursively, each real folder once), in a stable
 * order. A given path that yields no file (missing, unreadable, empty, or neither file nor folder)
 * is one error with {@link UNREADABLE_PATH_REASON}, the same whatever the cause. Inside a folder,
 * an entry that cannot be read is named with that reason, and special files are passed over.
 */
export function scanFiles(paths: readonly string[]): ScanResult {
  const files: string[] = [];
  const errors: ImportError[] = [];
  const seenFolders = new Set<string>();

  const visit = (path: string): 'read' | 'unreadable' | 'special' => {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      if (isUnreadablePathError(error)) return 'unreadable';
      throw error;
    }
    if (stats.isFile()) {
      files.push(path);
      return 'read';
    }
    if (!stats.isDirectory()) return 'special';
    const real = realpathSync(path);
    if (seenFolders.has(real)) return 'read'; // symlink loops
    seenFolders.add(real);
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (error) {
      if (isUnreadablePathError(error)) return 'unreadable';
      throw error;
    }
    for (const entry of entries) {
      const child = join(path, entry);
      if (visit(child) === 'unreadable') errors.push({ file: child, reason: UNREADABLE_PATH_REASON });
    }
    return 'read';
  };

  for (const path of paths.map((p) => resolve(p))) {
    const before = files.length;
    if (visit(path) !== 'read' || files.length === before)
      errors.push({ file: path, reason: UNREADABLE_PATH_REASON });
  }
  return { files, errors };
}
