import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import { ApiError } from './ApiClient.js';
import type { ApiTransport } from './ApiTransport.js';

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

  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe {
    this.events ??= new EventSource(`${this.baseUrl}/api/events`, { withCredentials: true });
    const handler = (message: MessageEvent<string>): void => listener(JSON.parse(message.data));
    this.events.addEventListener(event, handler);
    return () => this.events?.removeEventListener(event, handler);
  }
}
