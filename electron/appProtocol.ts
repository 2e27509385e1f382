/**
 * What `mammo://app/...` answers: the renderer bundle, `/files/images/<id>` as DICOM and
 * `/files/predictions/<imageId>?model=<modelId>` as the probability map's PNG. The same
 * rules as the loopback server (ids only, bundle files only, the same CSP), without a token: only
 * this app's own session can load the scheme.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  CONTENT_SECURITY_POLICY,
  IMAGE_URL_PREFIX,
  PREDICTION_MAP_URL_PREFIX,
  STATIC_CONTENT_TYPES,
} from '../main/server/constants.js';
import { ImageFileSource, ImageNotFoundError } from '../main/server/ImageFileSource.js';
import { resolveStaticFile } from '../main/server/MammoServer.js';
import { PredictionMapNotFoundError, PredictionMapSource } from '../main/server/PredictionMapSource.js';
import { isAppUrl } from './constants.js';

export interface AppProtocolSources {
  images: Pick<ImageFileSource, 'read'>;
  predictionMaps: Pick<PredictionMapSource, 'read'>;
  /** Folder of the built renderer bundle. */
  staticRoot: string;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

/** A patient's pixels are never kept in a cache, as the HTTP server's are not. */
const PATIENT_DATA_HEADERS = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };

function text(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/** Answers one request to the app's protocol. */
export async function respondToAppRequest(
  request: Pick<Request, 'url' | 'method'>,
  sources: AppProtocolSources,
): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return text(400, 'bad URL');
  }
  if (!isAppUrl(url)) return text(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');

  if (url.pathname.startsWith(IMAGE_URL_PREFIX)) {
    const imageId = ImageFileSource.parseImageId(url.pathname.slice(IMAGE_URL_PREFIX.length));
    if (imageId === null) return text(404, 'no such image');
    try {
      const file = await sources.images.read(imageId);
      return new Response(file.bytes, {
        headers: { ...PATIENT_DATA_HEADERS, 'Content-Type': file.contentType, ETag: file.etag },
      });
    } catch (error) {
      if (error instanceof ImageNotFoundError) return text(404, error.message);
      return text(500, error instanceof Error ? error.message : String(error));
    }
  }

  if (url.pathname.startsWith(PREDICTION_MAP_URL_PREFIX)) {
    const imageId = ImageFileSource.parseImageId(url.pathname.slice(PREDICTION_MAP_URL_PREFIX.length));
    if (imageId === null) return text(404, 'no such image');
    const modelId = PredictionMapSource.parseModelId(url.searchParams.get('model'));
    if (modelId === null) return text(400, 'the model query parameter must be a model id');
    try {
      const map = await sources.predictionMaps.read(imageId, modelId);
      return new Response(map.bytes, {
        headers: { ...PATIENT_DATA_HEADERS, 'Content-Type': map.contentType, ETag: map.etag },
      });
    } catch (error) {
      if (error instanceof PredictionMapNotFoundError) return text(404, error.message);
      return text(500, error instanceof Error ? error.message : String(error));
    }
  }

  const file = await resolveStaticFile(sources.staticRoot, url.pathname);
  if (!file) return text(404, 'not found');
  const type = STATIC_CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  return new Response(await readFile(file.path), { headers: { ...SECURITY_HEADERS, 'Content-Type': type } });
}
