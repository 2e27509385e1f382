/**
 * Quitting waits for the back end: its workers stop, the PACS listener lets go of its port and the
 * database closes (WAL checkpointed) before the process exits. SIGTERM and SIGINT quit the same way.
 */
import type { App } from 'electron';

/** The parts of `app` the shutdown uses. */
export type QuittingApp = Pick<App, 'on' | 'quit' | 'exit'>;

/**
 * @example
 * closeBeforeQuit(app, async () => { disposeHandlers(); await backend.close(); });
 */
export function closeBeforeQuit(
  app: QuittingApp,
  close: () => Promise<void>,
  signals: Pick<NodeJS.Process, 'once'> = process,
): void {
  let closing = false;
  app.on('will-quit', (event) => {
    event.preventDefault();
    if (closing) return;
    closing = true;
    close().then(
      () => app.exit(0),
      (error: unknown) => {
        console.error(
          `could not close the workspace cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
        app.exit(1);
      },
    );
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) signals.once(signal, () => app.quit());
}
