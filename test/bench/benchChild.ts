/**
 * Child-process entry of `inFreshProcess` (benchUtil): imports a bench module, calls one of its
 * exported functions with the JSON arguments it was given and sends the result back over IPC.
 * Usage: benchChild.ts <module URL> <export name> <JSON array of arguments>.
 */
const [moduleUrl, exportName, argsJson] = process.argv.slice(2);
const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    if (!process.send) throw new Error('benchChild.ts runs only as a forked child (inFreshProcess)');
    process.send(message, () => resolve());
  });

try {
  if (!moduleUrl || !exportName) throw new Error('usage: benchChild.ts <module URL> <export> [JSON args]');
  const module = (await import(moduleUrl)) as Record<string, unknown>;
  const run = module[exportName];
  if (typeof run !== 'function') throw new Error(`${moduleUrl} exports no function ${exportName}`);
  const args = JSON.parse(argsJson ?? '[]') as unknown[];
  await send({ ok: true, result: (await (run as (...a: unknown[]) => unknown)(...args)) ?? null });
} catch (error) {
  await send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
// Idle workers and timers a bench leaves behind must not keep the child alive.
process.exit(0);
