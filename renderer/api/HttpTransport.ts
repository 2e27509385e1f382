import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import type { ImportFormat, ImportResult } from '../../main/api/importing.js';
import { ApiError } from './ApiClient.js';
import type { ApiTransport, LocalSelection } from './ApiTransport.js';

/** The server's upload routes (main/server/constants.ts UPLOADS_URL_PATH). */
const UPLOADS_PATH = '/files/uploads';

/**
 * Browser mode: `POST /api/<method>` with JSON, events over one shared EventSource
 * (`/api/events`). The page's origin is the loopback server, whose cookie authenticates both.
 */
export class HttpTransport implements ApiTransport {
  readonly kind = 'http';
  private events: EventSource | null = null;

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
    this.events ??= new EventSource(`${this.baseUrl}/api/events`, { withCredentials: true });
    const handler = (message: MessageEvent<string>): void => listener(JSON.parse(message.data));
    this.events.addEventListener(event, handler);
    return () => this.events?.removeEventListener(event, handler);
  }
}
