import type { ApiEvents, MammoApi } from '../../main/api/contract.js';
import type { ApiTransport } from './ApiTransport.js';

/**
 * What components use to reach the back end: the contract's methods and events, the same in
 * Electron and in the browser, plus the URL of an image's bytes for Cornerstone.
 *
 * @example
 * const studies = await client.listStudies({});
 * const stop = client.subscribe(API_EVENTS.importProgress, (p) => setProgress(p.done / p.total));
 */
export interface ApiClient extends MammoApi, ApiEvents {
  /** Which transport carries the calls. */
  readonly transport: 'http' | 'ipc';
  /** Absolute URL of an image's DICOM bytes (served by id, never by path). */
  imageUrl(imageId: number): string;
  /** Absolute URL of the probability map (8-bit PNG) a model version produced for an image. */
  predictionMapUrl(imageId: number, modelId: string): string;
  /** The PNG bytes at {@link predictionMapUrl}; rejects with an {@link ApiError} when there is none. */
  fetchPredictionMap(imageId: number, modelId: string): Promise<Uint8Array>;
  /** Imports dropped or picked files (uploaded in the browser, by path in Electron). */
  importLocalFiles: ApiTransport['importLocalFiles'];
  /** The native open dialog; only in Electron. */
  chooseImportPaths: ApiTransport['chooseImportPaths'];
  /** Whether live updates arrive, and reconnecting them; only in the browser. */
  eventStream: ApiTransport['eventStream'];
}

/** A failed API call, with the HTTP-style status the back end gave it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
