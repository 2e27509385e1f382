import { API_EVENTS, type ApiEventName } from '../../main/api/contract.js';
import type { EventStreamProblem } from './ApiTransport.js';

/**
 * The Web Lock that elects the one tab holding the stream, and the channel it relays on. Both are
 * scoped to the page's origin, so each running server has its own.
 */
const LEADER_LOCK = 'mammo:event-stream';
const RELAY_CHANNEL = 'mammo:event-stream';

/** What the tabs of one browser say to each other about the stream. */
type RelayMessage =
  /** From the leader: one server event, its JSON as the server sent it. */
  | { readonly kind: 'event'; readonly event: ApiEventName; readonly data: string }
  /** From the leader: the stream stopped (a problem) or works (null). */
  | { readonly kind: 'state'; readonly problem: EventStreamProblem | null }
  /** From a tab that just joined: the leader answers with its state. */
  | { readonly kind: 'ask-state' }
  /** From a tab whose reader pressed Reconnect: the leader opens the stream again. */
  | { readonly kind: 'reconnect' };

/** Where a tab's share of the stream goes. */
export interface SharedEventStreamSink {
  event(event: ApiEventName, data: string): void;
  state(problem: EventStreamProblem | null): void;
}

/**
 * The server's event stream, opened by ONE tab per browser and relayed to the others. A browser
 * opens at most six HTTP/1.1 connections to a host, so a stream per tab left the seventh tab unable
 * to load at all. The tabs elect a leader with an exclusive Web Lock held for the tab's lifetime;
 * the leader opens the EventSource and relays every event and every change of the stream's state
 * over a BroadcastChannel. When the leader closes, the browser grants the lock to the next waiting
 * tab, which opens the stream in its place (events sent in between are missed, as across a dropped
 * connection). Without Web Locks or BroadcastChannel each tab opens a stream of its own.
 */
export class SharedEventStream {
  /** The leader's stream; null in a follower. */
  private source: EventSource | null = null;
  private problem: EventStreamProblem | null = null;
  private channel: BroadcastChannel | null;

  constructor(
    private readonly url: string,
    private readonly sink: SharedEventStreamSink,
  ) {
    const shared = 'locks' in navigator && typeof BroadcastChannel === 'function';
    this.channel = shared ? new BroadcastChannel(RELAY_CHANNEL) : null;
    if (!this.channel) {
      this.lead();
      return;
    }
    this.channel.addEventListener('message', (message: MessageEvent<RelayMessage>) =>
      this.hear(message.data),
    );
    this.channel.postMessage({ kind: 'ask-state' } satisfies RelayMessage);
    navigator.locks
      .request(LEADER_LOCK, { mode: 'exclusive' }, () => {
        this.lead();
        // Never settles: the lock is held until the tab closes.
        return new Promise<never>(() => undefined);
      })
      .catch(() => this.leadAlone());
  }

  /** Opens the stream again: here in the leader, else by asking the leader. */
  reconnect(): void {
    if (this.source) this.open();
    else this.channel?.postMessage({ kind: 'reconnect' } satisfies RelayMessage);
  }

  private hear(message: RelayMessage): void {
    if (this.source) {
      if (message.kind === 'ask-state') this.relay({ kind: 'state', problem: this.problem });
      else if (message.kind === 'reconnect') this.open();
    } else if (message.kind === 'event') {
      this.sink.event(message.event, message.data);
    } else if (message.kind === 'state') {
      this.sink.state(message.problem);
    }
  }

  private lead(): void {
    if (!this.source) this.open();
  }

  /** A stream of this tab's own, relayed to none: when no lock could be had, another tab may lead too. */
  private leadAlone(): void {
    this.channel?.close();
    this.channel = null;
    this.lead();
  }

  /**
   * One EventSource for every event. A dropped connection reconnects by itself; a refused one (the
   * server answered other than 200, e.g. 429 when too many browsers are open) is closed for good,
   * and EventSource does not say why, so the reason is asked for once with fetch.
   */
  private open(): void {
    this.source?.close();
    const source = new EventSource(this.url, { withCredentials: true });
    this.source = source;
    source.addEventListener('open', () => this.report(null));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED && source === this.source) void this.askWhyRefused();
    });
    for (const event of Object.values(API_EVENTS)) {
      source.addEventListener(event, (message: MessageEvent<string>) => {
        this.sink.event(event, message.data);
        this.relay({ kind: 'event', event, data: message.data });
      });
    }
  }

  private async askWhyRefused(): Promise<void> {
    const probe = new AbortController();
    let problem: EventStreamProblem;
    try {
      const response = await fetch(this.url, { credentials: 'same-origin', signal: probe.signal });
      const body = response.ok
        ? null
        : ((await response.json().catch(() => null)) as { error?: unknown } | null);
      problem = {
        status: response.status,
        reason: body?.error ? String(body.error) : `the server ended the event stream (${response.status})`,
      };
    } catch (error) {
      problem = { status: 0, reason: `cannot reach the workstation server (${(error as Error).message})` };
    } finally {
      // An accepted probe is a stream of its own: give its slot back at once.
      probe.abort();
    }
    this.report(problem);
  }

  private report(problem: EventStreamProblem | null): void {
    this.problem = problem;
    this.sink.state(problem);
    this.relay({ kind: 'state', problem });
  }

  private relay(message: RelayMessage): void {
    this.channel?.postMessage(message);
  }
}
