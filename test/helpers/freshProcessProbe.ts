/** Functions for the inFreshProcess test (test/bench/benchUtil.test.ts) to run in a child process. */

/** The child's process id and the arguments it was given, as it received them. */
export function describeProcess(...args: unknown[]): { pid: number; args: unknown[] } {
  return { pid: process.pid, args };
}

export async function failWith(message: string): Promise<never> {
  await Promise.resolve();
  throw new Error(message);
}
