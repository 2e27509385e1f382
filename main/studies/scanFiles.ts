import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportError } from '../api/importing.js';

export interface ScanResult {
  files: string[];
  errors: ImportError[];
}

/** Lists the files under the given paths (folders recursively, each real folder once), in a stable order. */
export function scanFiles(paths: readonly string[]): ScanResult {
  const files: string[] = [];
  const errors: ImportError[] = [];
  const seenFolders = new Set<string>();

  const visit = (path: string): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      errors.push({
        file: path,
        reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String(error),
      });
      return;
    }
    if (stats.isFile()) {
      files.push(path);
      return;
    }
    if (!stats.isDirectory()) return;
    const real = realpathSync(path);
    if (seenFolders.has(real)) return; // symlink loops
    seenFolders.add(real);
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (error) {
      errors.push({
        file: path,
        reason: `cannot read folder (${(error as NodeJS.ErrnoException).code ?? error})`,
      });
      return;
    }
    for (const entry of entries) visit(join(path, entry));
  };

  for (const path of paths) visit(resolve(path));
  return { files, errors };
}
