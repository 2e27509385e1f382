import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ATOMIC_TEMP_NAME } from '../common/atomicWrite.js';
import { isProcessAlive } from './processAlive.js';

/** A temp file this old is no live writer's: atomic writes finish in seconds. */
export const STALE_TEMP_AGE_MS = 10 * 60 * 1000;

/**
 * Removes what a crash left behind under `root`: the temp files of atomic writes and the temp
 * folders of folder exports and uploads (all named like {@link ATOMIC_TEMP_NAME}). One whose name
 * carries the id of a process that is no longer running goes whatever its age; one of a running
 * process (this one included) stays, since it may be writing it right now, unless it is older than
 * {@link STALE_TEMP_AGE_MS} (its id then belongs to an unrelated process). One without an id, from
 * before names carried it, goes by age alone. `recursive: false` looks in `root` only (a user's
 * export folder, whose other sub-folders are none of our business).
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
    const temp = ATOMIC_TEMP_NAME.exec(entry.name);
    if ((entry.isFile() || entry.isDirectory()) && temp) {
      if (isOwnerless(temp[1], path, now)) {
        rmSync(path, { recursive: true, force: true });
        removed++;
      }
    } else if (entry.isDirectory() && recursive) {
      removed += sweepStaleTempFiles(path, now);
    }
  }
  return removed;
}

/**
 * Whether a file a writer left (its owner's process id, if its name has one) belongs to no live
 * writer: its owner is gone, or it is older than any write takes.
 */
export function isOwnerless(ownerPid: string | undefined, path: string, now = Date.now()): boolean {
  if (ownerPid !== undefined && !isProcessAlive(Number(ownerPid))) return true;
  return now - statSync(path).mtimeMs > STALE_TEMP_AGE_MS;
}
