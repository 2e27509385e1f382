/**
 * One PACS node's DICOMweb service, through dicomweb-client (the DICOMweb client OHIF and
 * Slim use). dicomweb-client speaks XMLHttpRequest, which Node lacks: every call gets its own
 * xhr2 instance (dicomweb-client's `request.instance` option), so no global is patched and
 * each request carries its own timeout and cancellation.
 *
 * Errors become {@link PacsError}s with one readable line (refused credentials, not reachable,
 * TLS, timeout); the node's secret is never part of a message, and the library's own console
 * output is off (`verbose: false`) since it prints whole requests, headers included.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { api } from 'dicomweb-client';
import XMLHttpRequestForNode from 'xhr2';
import type { PacsNodeWithSecret } from '../db/PacsRepository.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './constants.js';

/** A PACS request that failed; the message names the node and the reason, never the secret. */
export class PacsError extends Error {
  override readonly name = 'PacsError';
  constructor(
    message: string,
    /** HTTP status, 0 when there was no answer. */
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** QIDO-RS query parameters; a list is sent as the parameter repeated. */
export type QidoParams = Readonly<Record<string, string | readonly string[]>>;

/** A DICOM JSON object (PS3.18 F.2): tags to `{ vr, Value }`. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] } | undefined>;

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Bytes received so far of this response. */
  onProgress?: ((loaded: number) => void) | undefined;
}

interface ClientRequest {
  instance: unknown;
  progressCallback?: (event: { loaded: number }) => void;
}

export class DicomwebConnection {
  private readonly client: api.DICOMwebClient;
  private readonly url: string;

  constructor(
    private readonly node: PacsNodeWithSecret,
    private readonly timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.url = node.url.replace(/\/+$/, '');
    this.client = new api.DICOMwebClient({
      url: this.url,
      headers: authorizationHeaders(node),
      verbose: false,
      singlepart: false,
    });
  }

  /** QIDO-RS /studies with the given query parameters. */
  searchForStudies(queryParams: QidoParams, options: RequestOptions = {}): Promise<DicomJson[]> {
    return this.qido('study search', '/studies', queryParams, options);
  }

  /** QIDO-RS /studies/{uid}/series. */
  searchForSeries(
    studyInstanceUid: string,
    queryParams: QidoParams,
    options: RequestOptions = {},
  ): Promise<DicomJson[]> {
    return this.qido(
      'series search',
      `/studies/${encodeURIComponent(studyInstanceUid)}/series`,
      queryParams,
      options,
    );
  }

  /** QIDO-RS /studies/{uid}/instances. */
  searchForInstances(
    studyInstanceUid: string,
    queryParams: QidoParams,
    options: RequestOptions = {},
  ): Promise<DicomJson[]> {
    return this.qido(
      'instance search',
      `/studies/${encodeURIComponent(studyInstanceUid)}/instances`,
      queryParams,
      options,
    );
  }

  /**
   * One QIDO-RS search. The query string is built here, not by dicomweb-client, which takes one
   * value per key and percent-encodes it: a list such as includefield then arrives as
   * `00081030%2C00201208`, which Orthanc ignores. A list is sent as repeated parameters instead
   * (PS3.18 8.3.4.3 allows both).
   */
  private qido(
    what: string,
    path: string,
    params: QidoParams,
    options: RequestOptions,
  ): Promise<DicomJson[]> {
    const query = Object.entries(params)
      .flatMap(([key, value]) => (typeof value === 'string' ? [value] : value).map((v) => [key, v] as const))
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
      .join('&');
    const url = `${this.url}${path}${query ? `?${query}` : ''}`;
    // The client's own JSON GET (what its searchFor* methods end in), given the finished URL.
    const client = this.client as unknown as {
      _httpGetApplicationJson(url: string, params: object, request: ClientRequest): Promise<DicomJson[]>;
    };
    return this.call(what, options, (request) => client._httpGetApplicationJson(url, {}, request)).then(
      (result) => result ?? [],
    );
  }

  /** WADO-RS of one instance: its Part 10 bytes, in the transfer syntax the PACS stored it in. */
  async retrieveInstance(
    uids: { study: string; series: string; instance: string },
    options: RequestOptions = {},
  ): Promise<Uint8Array> {
    const buffer = await this.call(
      `retrieve of instance ${uids.instance}`,
      options,
      (request) =>
        this.client.retrieveInstance({
          studyInstanceUID: uids.study,
          seriesInstanceUID: uids.series,
          sopInstanceUID: uids.instance,
          request,
        } as never),
      acceptAsStored,
    );
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0)
      throw new PacsError(`${this.label}: instance ${uids.instance} came back empty`, 200);
    return new Uint8Array(buffer);
  }

  /** STOW-RS of Part 10 files into a study; returns the parsed store response. */
  async storeInstances(
    studyInstanceUid: string,
    files: readonly Uint8Array[],
    options: RequestOptions = {},
  ): Promise<DicomJson> {
    const datasets = files.map(
      (f) => f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength) as ArrayBuffer,
    );
    let text: unknown;
    try {
      text = await this.call('store', options, (request) =>
        this.client.storeInstances({ datasets, studyInstanceUID: studyInstanceUid, request } as never),
      );
    } catch (error) {
      // 409 Conflict: some instances failed; the body still says which.
      const body =
        error instanceof PacsError && error.status === 409 ? (error.cause as { response?: unknown }) : null;
      const parsed = body ? parseJson(body.response) : null;
      if (parsed) return parsed;
      throw error;
    }
    return parseJson(text) ?? {};
  }

  private get label(): string {
    return `PACS "${this.node.name}"`;
  }

  /**
   * Runs one dicomweb-client call on a fresh xhr2 request that has the timeout and the
   * cancellation, and turns its failure into a readable {@link PacsError}.
   */
  private async call<T>(
    what: string,
    options: RequestOptions,
    run: (request: ClientRequest) => Promise<T>,
    rewriteAccept?: (accept: string) => string,
  ): Promise<T> {
    options.signal?.throwIfAborted();
    const xhr = new XMLHttpRequestForNode();
    if (rewriteAccept) {
      const setHeader = xhr.setRequestHeader.bind(xhr);
      xhr.setRequestHeader = (name, value) =>
        setHeader(name, name.toLowerCase() === 'accept' ? rewriteAccept(value) : value);
    }
    xhr.timeout = this.timeoutMs;
    let timedOut = false;
    xhr.addEventListener('timeout', () => {
      timedOut = true;
    });
    const abort = (): void => xhr.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const request: ClientRequest = { instance: xhr };
    if (options.onProgress) {
      const onProgress = options.onProgress;
      request.progressCallback = (event) => onProgress(event.loaded);
    }
    try {
      return await run(request);
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof PacsError) throw error;
      const status = (error as { status?: unknown }).status;
      // Not an HTTP failure: the library refused the call itself.
      if (typeof status !== 'number')
        throw new PacsError(`${this.label}: ${what} failed: ${(error as Error).message}`, -1, {
          cause: error,
        });
      throw new PacsError(await this.describeFailure(what, status, timedOut), status, { cause: error });
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  private async describeFailure(what: string, status: number, timedOut: boolean): Promise<string> {
    const prefix = `${this.label}: ${what} failed`;
    if (timedOut)
      return `${prefix}: no answer within ${Math.round(this.timeoutMs / 1000)} s from ${this.url}`;
    if (status === 401 || status === 403)
      return `${prefix}: the credentials were refused (HTTP ${status}); check the node's user and password or token`;
    if (status === 404) return `${prefix}: not found (HTTP 404); is ${this.url} the DICOMweb base URL?`;
    if (status !== 0) return `${prefix}: HTTP ${status}`;
    return `${prefix}: ${await probeConnection(this.url, this.timeoutMs)}`;
  }
}

/** Authorization header for the node's auth kind; the secret goes nowhere else. */
/**
 * WADO-RS Accept for the instance as the PACS stored it (`transfer-syntax=*`). Without it a PACS
 * answers in Explicit VR Little Endian (PS3.18 8.7.3.5.2): it decompresses, and Orthanc fails on
 * what it cannot transcode (12-bit lossy JPEG). dicomweb-client 0.11 builds only the plain Accept
 * (its `mediaTypes` option throws "Media type application/ is not supported"), so the header is
 * completed on the request it sends.
 */
function acceptAsStored(accept: string): string {
  return accept.includes('application/dicom') && !accept.includes('transfer-syntax')
    ? `${accept}; transfer-syntax=*`
    : accept;
}

function authorizationHeaders(node: PacsNodeWithSecret): Record<string, string> {
  if (node.auth === 'basic')
    return {
      Authorization: `Basic ${Buffer.from(`${node.username ?? ''}:${node.secret ?? ''}`).toString('base64')}`,
    };
  if (node.auth === 'bearer') return { Authorization: `Bearer ${node.secret ?? ''}` };
  return {};
}

function parseJson(value: unknown): DicomJson | null {
  if (value && typeof value === 'object' && !(value instanceof ArrayBuffer)) return value as DicomJson;
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    return JSON.parse(value) as DicomJson;
  } catch {
    return null;
  }
}

/** TLS failures Node reports by code, as a reader would say them. */
const TLS_CODES: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain has an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate issuer is not trusted',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  EPROTO: 'the TLS handshake failed',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on that port',
};

/**
 * Why a request got no answer: xhr2 hides the socket error, so ask the server once more with
 * Node's own client and name the cause (refused, unknown host, TLS, reset).
 */
export function probeConnection(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, { method: 'HEAD', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(`the connection failed (the server answers HTTP ${response.statusCode} now)`);
    });
    request.on('timeout', () => {
      request.destroy();
      resolve(`no answer within ${Math.round(timeoutMs / 1000)} s from ${url}`);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (TLS_CODES[code]) resolve(`TLS error: ${TLS_CODES[code]} (${code}) at ${target.origin}`);
      else if (code === 'ECONNREFUSED') resolve(`not reachable at ${target.host} (connection refused)`);
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') resolve(`unknown host ${target.hostname}`);
      else if (code === 'ECONNRESET') resolve(`the connection was reset by ${target.host}`);
      else resolve(`${error.message}${code ? ` (${code})` : ''}`);
    });
    request.end();
  });
}
