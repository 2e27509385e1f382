/**
 * worker_threads entry for {@link DecodePool}: decodes one file per request and transfers the
 * pixel buffers back. Codecs stay loaded between requests, which is the point of reusing workers.
 */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { decodeImageFile, type DecodedImage } from './decodeImage.js';
import { transferableImage, type DecodeRequest } from './workerProtocol.js';

serveWorkerRequests<DecodeRequest, DecodedImage>(async (request) =>
  transferableImage(await decodeImageFile(request.filePath, request.options)),
);
