import type { Unsubscribe } from '../api/contract.js';

/** A typed publish/subscribe table; `subscribe` returns its own undo. */
export class EventBus<Payloads extends object> {
  private readonly listeners = new Map<keyof Payloads, Set<(payload: never) => void>>();

  subscribe<E extends keyof Payloads>(event: E, listener: (payload: Payloads[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  publish<E extends keyof Payloads>(event: E, payload: Payloads[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      (listener as (payload: Payloads[E]) => void)(payload);
    }
  }
}
