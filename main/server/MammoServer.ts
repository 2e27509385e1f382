import { MAX_FILE_BYTES, megabytes } from '../imaging/limits.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { API_EVENTS, type ApiEvents, type MammoApi, type Unsubscribe } from '../api/contract.js';
import {
  ApiInputError,
  apiErrorStatus,
  callApiMethod,
  describeApiError,
  isApiMethodName,
} from './apiDispatch.js';
import {
  CONTENT_SECURITY_POLICY,
  DEFAULT_PORT,
  IMAGE_URL_PREFIX,
  LOOPBACK_HOST,
  MAX_EVENT_STREAMS,
  MAX_REQUEST_BYTES,
  PREDICTION_MAP_URL_PREFIX,
  SSE_HEARTBEAT_MS,
  STATIC_CONTENT_TYPES,
  UPLOADS_URL_PATH,
} from './constants.js';
import { ImageFileSource, ImageNotFoundError } from './ImageFileSource.js';
import { type ImportUploads, UploadRefusedError } from './ImportUploads.js';
import { PredictionMapNotFoundError, PredictionMapSource } from './PredictionMapSource.js';

export interface MammoServerOptions {
  api: MammoApi & ApiEvents;
  images: ImageFileSource;
  /** Probability maps of cached predictions, by image and model id. */
  predictionMaps: Pick<PredictionMapSource, 'read'>;
  /** Files a page uploads for import; without it the upload routes answer 404. */
  uploads?: ImportUploads;
  /** Folder of the built renderer bundle (index.html + assets). */
  staticRoot: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Per-launch session secret; random when not given (tests may fix it). */
  token?: string;
}

/**
 * Where a started server listens. `url` is the launch link: its `?token=` is a one-time code,
 * not the session secret, so the copy a browser keeps in its history opens nothing later.
 * `token` is the session secret for `Authorization: Bearer` (scripts and tests).
 */
export interface ServerAddress {
  port: number;
  origin: string;
  token: string;
  url: string;
}

/** How a request proved it holds the session secret. */
type Credential = 'bearer' | 'cookie';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The browser-mode transport: a loopback HTTP server that dispatches the API contract
 * (`POST /api/<method>`), streams its events (`GET /api/events`, server-sent events), serves image
 * bytes by id (`GET /files/images/<id>`), probability maps by image and model id
 * (`GET /files/predictions/<imageId>?model=<modelId>`), takes files uploaded for import
 * (`/files/uploads`, see {@link ImportUploads}) and serves the renderer bundle.
 *
 * Every request needs the per-launch session secret: `Authorization: Bearer <token>`, or the
 * cookie set when the page was first opened with the launch link's one-time `?token=` code. The
 * code is accepted once, on that first page load, and never on API or file routes. A request
 * that changes state (any method but GET and HEAD) from a browser must come from the server's own
 * origin. At most MAX_EVENT_STREAMS event streams are open at once. The Host header must name the
 * loopback address (against DNS rebinding).
 *
 * @example
 * const server = new MammoServer({
 *   api: backend,
 *   images: new ImageFileSource(backend.workspace),
 *   predictionMaps: new PredictionMapSource(backend.workspace),
 *   staticRoot,
 * });
 * const { url } = await server.start(); // http://127.0.0.1:PORT/?token=...
 */
export class MammoServer {
  readonly token: string;
  /** The launch link's one-time code; null once a page load has swapped it for the cookie. */
  private launchCode: string | null = randomBytes(32).toString('base64url');
  private readonly server: Server;
  private readonly eventStreams = new Set<ServerResponse>();
  private port = 0;

  constructor(private readonly options: MammoServerOptions) {
    this.token = options.token ?? randomBytes(32).toString('base64url');
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: describeApiError(error) });
        else response.destroy();
      });
    });
  }

  private get cookieName(): string {
    return `mammo_token_${this.port}`;
  }

  async start(): Promise<ServerAddress> {
    await new Promise<void>((resolveListen, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? DEFAULT_PORT, LOOPBACK_HOST, () => {
        this.server.off('error', reject);
        resolveListen();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    const origin = `http://${LOOPBACK_HOST}:${this.port}`;
    const url = `${origin}/?token=${this.launchCode ?? ''}`;
    return { port: this.port, origin, token: this.token, url };
  }

  async close(): Promise<void> {
    for (const stream of this.eventStreams) stream.end();
    this.eventStreams.clear();
    this.options.uploads?.close();
    await new Promise<void>((done) => {
      this.server.close(() => done());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setCommonHeaders(response);
    if (!this.isLoopbackHost(request.headers.host)) {
      sendJson(response, 421, { error: 'unexpected Host header' });
      return;
    }
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}:${this.port}`);
    const path = url.pathname;
    const credential = this.credential(request);
    const launchCode = url.searchParams.get('token');
    if (launchCode !== null && request.method === 'GET' && isPagePath(path)) {
      this.openLaunchLink(response, url, launchCode, credential);
      return;
    }
    if (credential === null) {
      sendJson(response, 401, { error: 'missing or invalid token: open the URL printed by `npm run serve`' });
      return;
    }
    if (!isSafeMethod(request.method) && !this.isOwnOrigin(request.headers.origin, credential)) {
      sendJson(response, 403, { error: 'requests that change data must come from the workstation page' });
      return;
    }
    try {
      if (path === '/api/events') return this.handleEvents(request, response);
      if (path.startsWith('/api/'))
        return await this.handleApiCall(request, response, path.slice('/api/'.length));
      if (path === UPLOADS_URL_PATH || path.startsWith(`${UPLOADS_URL_PATH}/`))
        return await this.handleUpload(request, response, path.slice(UPLOADS_URL_PATH.length), url);
      if (path.startsWith(IMAGE_URL_PREFIX))
        return await this.handleImage(request, response, path.slice(IMAGE_URL_PREFIX.length));
      if (path.startsWith(PREDICTION_MAP_URL_PREFIX))
        return await this.handlePredictionMap(
          request,
          response,
          path.slice(PREDICTION_MAP_URL_PREFIX.length),
          url.searchParams.get('model'),
        );
      return await this.handleStatic(request, response, path);
    } catch (error) {
      if (error instanceof HttpError) sendJson(response, error.status, { error: error.message });
      else throw error;
    }
  }

  private isLoopbackHost(host: string | undefined): boolean {
    return host === `${LOOPBACK_HOST}:${this.port}` || host === `localhost:${this.port}`;
  }

  /**
   * The first page load: the launch link's code is swapped for the session cookie and dropped from
   * the address bar. The code works once; a browser that already holds the cookie is just
   * redirected.
   */
  private openLaunchLink(
    response: ServerResponse,
    url: URL,
    launchCode: string,
    credential: Credential | null,
  ): void {
    const firstUse = this.launchCode !== null && secretsMatch(launchCode, this.launchCode);
    if (credential === null && !firstUse) {
      sendJson(response, 401, {
        error:
          this.launchCode === null
            ? 'this launch link was used already (it opens one browser once): go on in that browser, or restart `npm run serve` for a new link'
            : 'missing or invalid token: open the URL printed by `npm run serve`',
      });
      return;
    }
    if (firstUse) {
      this.launchCode = null;
      response.setHeader('Set-Cookie', `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    url.searchParams.delete('token');
    response.writeHead(303, { Location: `${url.pathname}${url.search}` }).end();
  }

  private credential(request: IncomingMessage): Credential | null {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && secretsMatch(header.slice('Bearer '.length), this.token))
      return 'bearer';
    const cookie = parseCookies(request.headers.cookie).get(this.cookieName);
    return cookie !== undefined && secretsMatch(cookie, this.token) ? 'cookie' : null;
  }

  /**
   * Browsers send Origin with every request that is not GET or HEAD, and a cookie on their own:
   * such a request must name this server. Clients that send the secret themselves (Bearer) may
   * leave Origin out, but never name another.
   */
  private isOwnOrigin(origin: string | undefined, credential: Credential): boolean {
    if (origin === undefined) return credential === 'bearer';
    return origin === `http://${LOOPBACK_HOST}:${this.port}` || origin === `http://localhost:${this.port}`;
  }

  private async handleApiCall(
    request: IncomingMessage,
    response: ServerResponse,
    method: string,
  ): Promise<void> {
    if (!isApiMethodName(method)) throw new HttpError(404, `unknown API method '${method}'`);
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      throw new HttpError(405, 'API methods take POST');
    }
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json'))
      throw new HttpError(415, 'API requests must be application/json');
    const body = await readBody(request, MAX_REQUEST_BYTES);
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      throw new HttpError(400, 'request body is not valid JSON');
    }
    let result: unknown;
    try {
      result = await callApiMethod(this.options.api, method, input);
    } catch (error) {
      if (error instanceof ApiInputError) throw new HttpError(400, error.message);
      sendJson(response, apiErrorStatus(error), { error: describeApiError(error) });
      return;
    }
    sendJson(response, 200, result ?? null);
  }

  private handleEvents(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET') throw new HttpError(405, 'the event stream takes GET');
    if (this.eventStreams.size >= MAX_EVENT_STREAMS) {
      response.setHeader('Retry-After', '10');
      throw new HttpError(
        429,
        `too many open event streams (at most ${MAX_EVENT_STREAMS}): close other workstation tabs`,
      );
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    const unsubscribes: Unsubscribe[] = Object.values(API_EVENTS).map((event) =>
      this.options.api.subscribe(event, (payload) => {
        response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    this.eventStreams.add(response);
    request.on('close', () => {
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes) unsubscribe();
      this.eventStreams.delete(response);
    });
  }

  /** The upload routes of {@link UPLOADS_URL_PATH}; `segment` is what follows it. */
  private async handleUpload(
    request: IncomingMessage,
    response: ServerResponse,
    segment: string,
    url: URL,
  ): Promise<void> {
    const uploads = this.options.uploads;
    if (!uploads) throw new HttpError(404, 'this server takes no uploads');
    // '' -> [], '/<id>' -> [id], '/<id>/import' -> [id, 'import']
    const [id, action, ...rest] = segment.split('/').slice(1);
    try {
      if (id === undefined && request.method === 'POST') {
        sendJson(response, 201, { uploadId: uploads.begin() });
      } else if (id && action === undefined && request.method === 'PUT') {
        if (Number(request.headers['content-length'] ?? 0) > MAX_FILE_BYTES)
          throw new HttpError(413, `larger than any mammogram (limit ${megabytes(MAX_FILE_BYTES)})`);
        await uploads.receive(id, url.searchParams.get('name') ?? '', request);
        response.writeHead(204).end();
      } else if (id && action === 'import' && !rest.length && request.method === 'POST') {
        const format = url.searchParams.get('format') ?? 'dicom';
        if (format !== 'dicom' && format !== 'mias' && format !== 'cbis-ddsm')
          throw new HttpError(400, 'format must be dicom, mias or cbis-ddsm');
        sendJson(response, 200, await uploads.finish(id, format));
      } else if (id && action === undefined && request.method === 'DELETE') {
        uploads.discard(id);
        response.writeHead(204).end();
      } else {
        throw new HttpError(404, 'uploads take POST, PUT <id>, POST <id>/import and DELETE <id>');
      }
    } catch (error) {
      if (error instanceof UploadRefusedError) throw new HttpError(error.status, error.message);
      throw error;
    }
  }

  private async handleImage(
    request: IncomingMessage,
    response: ServerResponse,
    segment: string,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'images take GET');
    const imageId = ImageFileSource.parseImageId(segment);
    if (imageId === null) throw new HttpError(404, 'no such image');
    let file;
    try {
      file = await this.options.images.read(imageId);
    } catch (error) {
      if (error instanceof ImageNotFoundError) throw new HttpError(404, error.message);
      throw error;
    }
    sendFile(request, response, file);
  }

  private async handlePredictionMap(
    request: IncomingMessage,
    response: ServerResponse,
    segment: string,
    model: string | null,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      throw new HttpError(405, 'prediction maps take GET');
    const imageId = ImageFileSource.parseImageId(segment);
    if (imageId === null) throw new HttpError(404, 'no such image');
    const modelId = PredictionMapSource.parseModelId(model);
    if (modelId === null) throw new HttpError(400, 'the model query parameter must be a model id');
    let file;
    try {
      file = await this.options.predictionMaps.read(imageId, modelId);
    } catch (error) {
      if (error instanceof PredictionMapNotFoundError) throw new HttpError(404, error.message);
      throw error;
    }
    sendFile(request, response, file);
  }

  private async handleStatic(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      throw new HttpError(405, 'static files take GET');
    const root = resolve(this.options.staticRoot);
    const file = await resolveStaticFile(root, path);
    if (!file) {
      if (path === '/' || path === '/index.html') {
        throw new HttpError(503, 'the renderer bundle is not built: run `npm run build:renderer`');
      }
      throw new HttpError(404, 'not found');
    }
    const type = STATIC_CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': file.size };
    if (type.startsWith('text/html')) headers['Cache-Control'] = 'no-store';
    else if (relative(root, file.path).startsWith(`assets`))
      headers['Cache-Control'] = 'private, max-age=31536000, immutable';
    response.writeHead(200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file.path).pipe(response);
  }
}

/**
 * The bundle file a URL path names, or null. Paths that escape the root are refused; a path
 * without an extension that isn't a file falls back to index.html (client-side routes).
 */
export async function resolveStaticFile(
  root: string,
  urlPath: string,
): Promise<{ path: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  const rel = relative(root, candidate);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  const found = await statFile(candidate);
  if (found) return found;
  if (extname(decoded) === '') return statFile(join(root, 'index.html'));
  return null;
}

async function statFile(path: string): Promise<{ path: string; size: number } | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? { path, size: stats.size } : null;
  } catch {
    return null;
  }
}

/** Routes of the renderer bundle, where a launch link may land (not the API or stored files). */
function isPagePath(path: string): boolean {
  return !path.startsWith('/api/') && !path.startsWith('/files/');
}

function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD';
}

function secretsMatch(candidate: string, secret: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function setCommonHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('X-Frame-Options', 'DENY');
}

/** A stored file with its validator: 304 when the client's copy is current, no body for HEAD. */
function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: { bytes: Uint8Array; contentType: string; etag: string },
): void {
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304, { ETag: file.etag }).end();
    return;
  }
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.bytes.length,
    ETag: file.etag,
    // Images carry the patient's name: no browser may keep them on disk after it closes.
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : file.bytes);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(';') ?? []) {
    const index = part.indexOf('=');
    if (index > 0) cookies.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  return cookies;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
