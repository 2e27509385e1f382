import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import type { ImportFormat, ImportResult } from '../../main/api/importing.js';
import { ApiError } from './ApiClient.js';
import type { ApiTransport, EventStreamControl, EventStreamProblem, LocalSelection } from './ApiTransport.js';
import { SharedEventStream } from './SharedEventStream.js';

/** The server's upload routes (main/server/constants.ts UPLOADS_URL_PATH). */
const UPLOADS_PATH = '/files/uploads';

/**
 * Browser mode: `POST /api/<method>` with JSON, events over the server's event stream
 * (`/api/events`), which one tab of the browser holds for all of them ({@link SharedEventStream}).
 * The page's origin is the loopback server, whose cookie authenticates both.
 */
export class HttpTransport implements ApiTransport {
  readonly kind = 'http';
  private stream: SharedEventStream | null = null;
  private readonly subscriptions = new Set<{ event: ApiEventName; listener: (payload: unknown) => void }>();
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
    const subscription = { event, listener };
    this.subscriptions.add(subscription);
    this.stream ??= this.joinStream();
    return () => this.subscriptions.delete(subscription);
  }

  readonly eventStream: EventStreamControl = {
    onChange: (listener) => {
      this.streamListeners.add(listener);
      return () => this.streamListeners.delete(listener);
    },
    reconnect: () => {
      if (this.stream) this.stream.reconnect();
      else this.stream = this.joinStream();
    },
  };

  /** This tab's share of the browser's one event stream (opened here, or relayed from another tab). */
  private joinStream(): SharedEventStream {
    return new SharedEventStream(`${this.baseUrl}/api/events`, {
      event: (event, data) => {
        const payload = JSON.parse(data) as unknown;
        for (const subscription of this.subscriptions)
          if (subscription.event === event) subscription.listener(payload);
      },
      state: (problem) => this.reportStream(problem),
    });
  }

  private reportStream(problem: EventStreamProblem | null): void {
    for (const listener of this.streamListeners) listener(problem);
  }
}
