import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from '../../electron/constants.js';
import { type GuardedContents, guardNavigation } from '../../electron/navigationGuards.js';

type Listener = (departure: { url: string; preventDefault(): void }) => void;

/** The listeners a web contents was given (Electron itself cannot run here). */
class RecordingContents {
  readonly listeners = new Map<string, Listener>();
  windowOpen: (() => { action: string }) | null = null;
  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }
  setWindowOpenHandler(handler: () => { action: string }): void {
    this.windowOpen = handler;
  }
  /** Whether the guard for `event` cancels a departure to `url`. */
  cancels(event: string, url: string): boolean {
    let cancelled = false;
    this.listeners.get(event)!({ url, preventDefault: () => (cancelled = true) });
    return cancelled;
  }
}

describe('navigation guards', () => {
  it('keep navigations, redirects and frame navigations on the app, and open no window', () => {
    const contents = new RecordingContents();
    guardNavigation(contents as unknown as GuardedContents);
    expect([...contents.listeners.keys()].sort()).toEqual([
      'will-frame-navigate',
      'will-navigate',
      'will-redirect',
    ]);
    for (const event of contents.listeners.keys()) {
      expect(contents.cancels(event, 'https://example.com/'), event).toBe(true);
      expect(contents.cancels(event, 'file:///etc/passwd'), event).toBe(true);
      expect(contents.cancels(event, 'mammo://other-host/index.html'), event).toBe(true);
      expect(contents.cancels(event, APP_ENTRY_URL), event).toBe(false);
    }
    expect(contents.windowOpen?.()).toEqual({ action: 'deny' });
  });
});
