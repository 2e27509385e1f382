import { API_METHODS, type ApiEvents, type ApiMethodName, type MammoApi } from '../../main/api/contract.js';
import type { MammoBridge } from '../../electron/bridge.js';
import { type ApiClient, ApiError } from './ApiClient.js';
import type { ApiTransport } from './ApiTransport.js';
import { HttpTransport } from './HttpTransport.js';
import { IpcTransport } from './IpcTransport.js';

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload. */
    readonly mammo?: MammoBridge;
  }
}

/** Builds the typed client over a transport: one forwarding function per contract method. */
export function createApiClient(transport: ApiTransport, origin: string = location.origin): ApiClient {
  const methods = Object.fromEntries(
    (Object.keys(API_METHODS) as ApiMethodName[]).map((method) => [
      method,
      (input: unknown) => transport.invoke(method, input),
    ]),
  ) as unknown as MammoApi;
  const subscribe: ApiEvents['subscribe'] = (event, listener) =>
    transport.subscribe(event, listener as (payload: unknown) => void);
  const predictionMapUrl = (imageId: number, modelId: string): string =>
    `${origin}/files/predictions/${imageId}?model=${encodeURIComponent(modelId)}`;
  return {
    ...methods,
    subscribe,
    transport: transport.kind,
    imageUrl: (imageId) => `${origin}/files/images/${imageId}`,
    importLocalFiles: (selection, format, onUploaded) =>
      transport.importLocalFiles(selection, format, onUploaded),
    chooseImportPaths: transport.chooseImportPaths,
    eventStream: transport.eventStream,
    predictionMapUrl,
    fetchPredictionMap: async (imageId, modelId) => {
      let response: Response;
      try {
        response = await fetch(predictionMapUrl(imageId, modelId), { credentials: 'same-origin' });
      } catch (error) {
        throw new ApiError(`cannot load the probability map (${(error as Error).message})`, 0);
      }
      if (!response.ok) throw new ApiError(`probability map: ${await errorText(response)}`, response.status);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** The server's `{ "error" }` body (the HTTP server) or plain text (Electron's protocol). */
async function errorText(response: Response): Promise<string> {
  const text = (await response.text()).trim();
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && 'error' in body) return String(body.error);
  } catch {
    // plain text
  }
  return text || `HTTP ${response.status}`;
}

/** The transport this window has: Electron's bridge when the preload put one there, else HTTP. */
export function connectApiClient(): ApiClient {
  return createApiClient(window.mammo ? new IpcTransport(window.mammo) : new HttpTransport());
}
