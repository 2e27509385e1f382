import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ATOMIC_TEMP_NAME } from '../common/atomicWrite.js';

/** A temp file this old is no live writer's: atomic writes finish in seconds. */
export const STALE_TEMP_AGE_MS = 10 * 60 * 1000;

/**
 * Removes the temp files of atomic writes that a crash left behind anywhere under `root`. Young
 * ones are left alone, since another process may be writing them right now.
 *
 * @returns the number of files removed.
 */
export function sweepStaleTempFiles(root: string, now = Date.now()): number {
  let removed = 0;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      removed += sweepStaleTempFiles(path, now);
    } else if (entry.isFile() && ATOMIC_TEMP_NAME.test(entry.name)) {
      if (now - statSync(path).mtimeMs > STALE_TEMP_AGE_MS) {
        rmSync(path, { force: true });
        removed++;
      }
    }
  }
  return removed;
}
