import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { type QuittingApp, closeBeforeQuit } from '../../electron/closeBeforeQuit.js';

/**
 * Electron's app as far as quitting goes (Electron cannot run here): `quit()` emits `will-quit`,
 * whose default (unless prevented) is to exit; `exit(code)` records the code.
 */
class QuitRecorder extends EventEmitter {
  readonly exits: number[] = [];
  defaultExits = 0;
  readonly app: QuittingApp = {
    on: ((event: string, listener: (...args: unknown[]) => void) => {
      this.on(event, listener);
      return this.app;
    }) as QuittingApp['on'],
    quit: () => {
      let prevented = false;
      this.emit('will-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.defaultExits++;
    },
    exit: (code?: number) => {
      this.exits.push(code ?? 0);
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('closeBeforeQuit', () => {
  it('holds the quit until the back end has closed, then exits 0; a second quit does not close twice', async () => {
    const recorder = new QuitRecorder();
    const closed = deferred();
    const close = vi.fn(() => closed.promise);
    closeBeforeQuit(recorder.app, close, new EventEmitter() as unknown as NodeJS.Process);

    recorder.app.quit();
    recorder.app.quit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(close).toHaveBeenCalledTimes(1);
    expect(recorder.defaultExits).toBe(0);
    expect(recorder.exits).toEqual([]);

    closed.resolve();
    await vi.waitFor(() => expect(recorder.exits).toEqual([0]));
  });

  it('quits the same way on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT']) {
      const recorder = new QuitRecorder();
      const signals = new EventEmitter();
      const close = vi.fn(() => Promise.resolve());
      closeBeforeQuit(recorder.app, close, signals as unknown as NodeJS.Process);
      signals.emit(signal);
      await vi.waitFor(() => expect(recorder.exits).toEqual([0]));
      expect(close).toHaveBeenCalledTimes(1);
    }
  });

  it('exits 1 with one line when closing fails', async () => {
    const recorder = new QuitRecorder();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    closeBeforeQuit(
      recorder.app,
      () => Promise.reject(new Error('database is locked')),
      new EventEmitter() as unknown as NodeJS.Process,
    );
    recorder.app.quit();
    await vi.waitFor(() => expect(recorder.exits).toEqual([1]));
    expect(errors).toHaveBeenCalledWith('could not close the workspace cleanly: database is locked');
    errors.mockRestore();
  });
});
