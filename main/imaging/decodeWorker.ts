/**
 * worker_threads entry for {@link DecodePool}: decodes one file per request (or checks one mask
 * PNG) and transfers the pixel buffers back. Codecs stay loaded between requests, which is the
 * point of reusing workers.
 */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { decodeImageFile } from './decodeImage.js';
import { checkMaskPng } from './maskPng.js';
import {
  transferableImage,
  transferableMask,
  type DecodeRequest,
  type DecodeResult,
} from './workerProtocol.js';

serveWorkerRequests<DecodeRequest, DecodeResult>(async (request) =>
  request.kind === 'mask'
    ? transferableMask(checkMaskPng(request.png, request.rows, request.columns))
    : transferableImage(await decodeImageFile(request.filePath, request.options)),
);
