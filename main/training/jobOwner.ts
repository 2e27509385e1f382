import type { JobOwner } from '../db/FineTuneJobRepository.js';
import { isProcessAlive } from '../workspace/processAlive.js';

/** How often the process running fine-tune jobs records that it still runs them. */
export const JOB_HEARTBEAT_MS = 30_000;

/**
 * A heartbeat this old is no live process's: the beat comes from a timer on the server's thread,
 * which never blocks for minutes, so its process has died or its id now names an unrelated one.
 */
export const JOB_HEARTBEAT_STALE_MS = 10 * JOB_HEARTBEAT_MS;

/**
 * Whether another running process still runs a job: the process that queued it is alive on this
 * machine and beat within {@link JOB_HEARTBEAT_STALE_MS}. A job of this very process's id is a dead
 * one's (this process has just started and runs none yet), and a job without an owner is from
 * before jobs recorded one.
 */
export function jobOwnerIsLive(owner: JobOwner, now = Date.now()): boolean {
  if (owner.pid === null || owner.pid === process.pid || !isProcessAlive(owner.pid)) return false;
  const beat = owner.heartbeatAt ? Date.parse(owner.heartbeatAt) : Number.NaN;
  return Number.isFinite(beat) && now - beat < JOB_HEARTBEAT_STALE_MS;
}
