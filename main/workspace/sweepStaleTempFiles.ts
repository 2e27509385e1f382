import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ATOMIC_TEMP_NAME } from '../common/atomicWrite.js';

/** A temp file this old is no live writer's: atomic writes finish in seconds. */
export const STALE_TEMP_AGE_MS = 10 * 60 * 1000;

/**
 * Removes what a crash left behind under `root`: the temp files of atomic writes and the temp
 * folders of folder exports (both named like {@link ATOMIC_TEMP_NAME}). Young ones are left alone,
 * since another process may be writing them right now. `recursive: false` looks in `root` only
 * (a user's export folder, whose other sub-folders are none of our business).
 *
 * @returns the number of files and folders removed.
 */
export function sweepStaleTempFiles(
  root: string,
  now = Date.now(),
  { recursive = true }: { recursive?: boolean } = {},
): number {
  let removed = 0;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if ((entry.isFile() || entry.isDirectory()) && ATOMIC_TEMP_NAME.test(entry.name)) {
      if (now - statSync(path).mtimeMs > STALE_TEMP_AGE_MS) {
        rmSync(path, { recursive: true, force: true });
        removed++;
      }
    } else if (entry.isDirectory() && recursive) {
      removed += sweepStaleTempFiles(path, now);
    }
  }
  return removed;
}
