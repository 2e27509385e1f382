import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';

/** The two things a transport carries; {@link createApiClient} builds the typed client on top. */
export interface ApiTransport {
  readonly kind: 'http' | 'ipc';
  invoke(method: ApiMethodName, input: unknown): Promise<unknown>;
  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe;
}
