import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import type { ImportFormat, ImportResult } from '../../main/api/importing.js';
import { ApiError } from './ApiClient.js';
import type { ApiTransport, EventStreamControl, EventStreamProblem, LocalSelection } from './ApiTransport.js';

/** The server's upload routes (main/server/constants.ts UPLOADS_URL_PATH). */
const UPLOADS_PATH = '/files/uploads';

/**
 * Browser mode: `POST /api/<method>` with JSON, events over one shared EventSource
 * (`/api/events`). The page's origin is the loopback server, whose cookie authenticates both.
 */
export class HttpTransport implements ApiTransport {
  readonly kind = 'http';
  private events: EventSource | null = null;
  private readonly handlers: { event: ApiEventName; handler: (message: MessageEvent<string>) => void }[] = [];
  private readonly streamListeners = new Set<(problem: EventStreamProblem | null) => void>();

  constructor(private readonly baseUrl: string = location.origin) {}

  async invoke(method: ApiMethodName, input: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      throw new ApiError(`cannot reach the workstation server (${(error as Error).message})`, 0);
    }
    const body = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const message =
        body && typeof body === 'object' && 'error' in body
          ? String(body.error)
          : `${method} failed (${response.status})`;
      throw new ApiError(message, response.status);
    }
    return body;
  }

  /**
   * Uploads the files one by one into an upload of their own, then has the server import it (the
   * import's progress arrives as events). An upload that fails part-way is discarded.
   */
  async importLocalFiles(
    selection: LocalSelection,
    format: ImportFormat,
    onUploaded: (done: number, total: number) => void,
  ): Promise<ImportResult> {
    const { uploadId } = (await this.uploadRequest('POST', '')) as { uploadId: string };
    try {
      for (const [index, { file, relativePath }] of selection.files.entries()) {
        await this.uploadRequest('PUT', `/${uploadId}?name=${encodeURIComponent(relativePath)}`, file);
        onUploaded(index + 1, selection.files.length);
      }
    } catch (error) {
      await this.uploadRequest('DELETE', `/${uploadId}`).catch(() => undefined);
      throw error;
    }
    return (await this.uploadRequest('POST', `/${uploadId}/import?format=${format}`)) as ImportResult;
  }

  private async uploadRequest(method: string, path: string, body?: Blob): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${UPLOADS_PATH}${path}`, {
        method,
        credentials: 'same-origin',
        ...(body ? { body, headers: { 'Content-Type': 'application/octet-stream' } } : {}),
      });
    } catch (error) {
      throw new ApiError(`cannot reach the workstation server (${(error as Error).message})`, 0);
    }
    if (response.status === 204) return null;
    const reply = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const message =
        reply && typeof reply === 'object' && 'error' in reply
          ? String(reply.error)
          : `upload failed (${response.status})`;
      throw new ApiError(message, response.status);
    }
    return reply;
  }

  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe {
    const registration = {
      event,
      handler: (message: MessageEvent<string>): void => listener(JSON.parse(message.data)),
    };
    this.handlers.push(registration);
    (this.events ??= this.openEvents()).addEventListener(event, registration.handler);
    return () => {
      this.handlers.splice(this.handlers.indexOf(registration), 1);
      this.events?.removeEventListener(event, registration.handler);
    };
  }

  readonly eventStream: EventStreamControl = {
    onChange: (listener) => {
      this.streamListeners.add(listener);
      return () => this.streamListeners.delete(listener);
    },
    reconnect: () => {
      this.events?.close();
      this.events = this.openEvents();
      for (const { event, handler } of this.handlers) this.events.addEventListener(event, handler);
    },
  };

  /**
   * One EventSource for every subscription. A dropped connection reconnects by itself; a refused
   * one (the server answered other than 200, e.g. 429 when too many windows are open) is closed
   * for good, and EventSource does not say why, so the reason is asked for once with fetch.
   */
  private openEvents(): EventSource {
    const url = `${this.baseUrl}/api/events`;
    const source = new EventSource(url, { withCredentials: true });
    source.addEventListener('open', () => this.reportStream(null));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED && source === this.events) void this.askWhyRefused(url);
    });
    return source;
  }

  private async askWhyRefused(url: string): Promise<void> {
    const probe = new AbortController();
    let problem: EventStreamProblem;
    try {
      const response = await fetch(url, { credentials: 'same-origin', signal: probe.signal });
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
    this.reportStream(problem);
  }

  private reportStream(problem: EventStreamProblem | null): void {
    for (const listener of this.streamListeners) listener(problem);
  }
}
