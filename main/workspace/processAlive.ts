/**
 * Whether a process with this id is running on this machine (signal 0 checks without sending).
 * A process of another user counts as alive (EPERM). This process is alive.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that recorded itself as `ownerPid` (on a fine-tune job, a PACS push) still
 * owns that record: it is alive on this machine, it is not this process (which has just opened the
 * workspace and owns nothing yet, so the id is a dead process's that it inherited), and it showed
 * life within `staleMs` (an older sign means the id now names an unrelated process).
 */
export function isLiveOwner(
  ownerPid: number | null,
  lastSignOfLife: string | null,
  staleMs: number,
  now = Date.now(),
): boolean {
  if (ownerPid === null || ownerPid === process.pid || !isProcessAlive(ownerPid)) return false;
  const seen = lastSignOfLife ? Date.parse(lastSignOfLife) : Number.NaN;
  return Number.isFinite(seen) && now - seen < staleMs;
}
