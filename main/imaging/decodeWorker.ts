/**
 * worker_threads entry for {@link DecodePool}: decodes one file per request and transfers the
 * pixel buffers back. Codecs stay loaded between requests, which is the point of reusing workers.
 */
import { parentPort } from 'node:worker_threads';
import { decodeImageFile } from './decodeImage.js';
import {
  serializeError,
  transferableImage,
  type DecodeRequest,
  type DecodeResponse,
} from './workerProtocol.js';

const port = parentPort;
if (port === null) throw new Error('decodeWorker must run in a worker thread');

port.on('message', (request: DecodeRequest) => {
  decodeImageFile(request.filePath, request.options).then(
    (decoded) => {
      const { image, transfer } = transferableImage(decoded);
      const response: DecodeResponse = { id: request.id, ok: true, image };
      port.postMessage(response, transfer);
    },
    (thrown: unknown) => {
      const response: DecodeResponse = { id: request.id, ok: false, error: serializeError(thrown) };
      port.postMessage(response);
    },
  );
});
