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
