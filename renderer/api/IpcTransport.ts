import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import type { MammoBridge } from '../../electron/bridge.js';
import { ApiError } from './ApiClient.js';
import type { ApiTransport } from './ApiTransport.js';

/** Electron: calls go through the preload's `window.mammo` bridge. */
export class IpcTransport implements ApiTransport {
  readonly kind = 'ipc';

  constructor(private readonly bridge: MammoBridge) {}

  async invoke(method: ApiMethodName, input: unknown): Promise<unknown> {
    const result = await this.bridge.invoke(method, input ?? {});
    if (!result.ok) throw new ApiError(result.error, result.status);
    return result.value;
  }

  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe {
    return this.bridge.subscribe(event, listener);
  }
}
