/** How often the process running fine-tune jobs records that it still runs them. */
export const JOB_HEARTBEAT_MS = 30_000;

/**
 * A heartbeat this old is no live process's: the beat comes from a timer on the server's thread,
 * which never blocks for minutes, so its process has died or its id now names an unrelated one.
 */
export const JOB_HEARTBEAT_STALE_MS = 10 * JOB_HEARTBEAT_MS;
