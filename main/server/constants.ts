/** Defaults of the loopback server and the rules both transports share. */
import { fileURLToPath } from 'node:url';

/** Where `npm run build:renderer` writes the bundle that both transports serve. */
export const RENDERER_BUNDLE_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** The only interface the server listens on. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Port 0: the operating system picks a free one. */
export const DEFAULT_PORT = 0;

/** Largest JSON body accepted by `POST /api/<method>`. */
export const MAX_REQUEST_BYTES = 1 << 20;

/**
 * Event streams open at once. A workstation tab holds one; more than a few means a runaway client,
 * and each holds a socket and a subscription to every back-end event.
 */
export const MAX_EVENT_STREAMS = 8;

/** Seconds between SSE keep-alive comments. */
export const SSE_HEARTBEAT_MS = 20_000;

/** URL prefix of stored images: `/files/images/<imageId>` (always DICOM Part 10). */
export const IMAGE_URL_PREFIX = '/files/images/';

/** URL prefix of probability maps: `/files/predictions/<imageId>?model=<modelId>` (8-bit PNG). */
export const PREDICTION_MAP_URL_PREFIX = '/files/predictions/';

/**
 * Files uploaded for import (browser drag and drop, file picker): `POST /files/uploads` opens one,
 * `PUT /files/uploads/<id>?name=<relative path>` stores a file, `POST /files/uploads/<id>/import
 * ?format=dicom|mias` imports and removes it, `DELETE /files/uploads/<id>` drops it.
 */
export const UPLOADS_URL_PATH = '/files/uploads';

/**
 * Content Security Policy of the UI, in the browser and in Electron. WebAssembly codecs need
 * 'wasm-unsafe-eval'; Cornerstone's decode workers are same-origin modules (or blob: URLs);
 * React sets inline style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' data: blob:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** File extensions of the renderer bundle and their content types. */
export const STATIC_CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
});
