/**
 * worker_threads entry for {@link DecodePool}: decodes one file per request (or checks one mask
 * PNG, encodes one training sample, counts one map's overlap with a mask) and transfers the pixel
 * buffers back. Codecs stay loaded between requests, which is the point of reusing workers.
 */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { decodeImageFile } from './decodeImage.js';
import { countMapFileOverlap } from './mapOverlap.js';
import { checkMaskPng } from './maskPng.js';
import { encodeScanSampleFile } from './scanSample.js';
import {
  transferableImage,
  transferableMask,
  type DecodeRequest,
  type DecodeResult,
} from './workerProtocol.js';

serveWorkerRequests<DecodeRequest, DecodeResult>(async (request) => {
  switch (request.kind) {
    case 'mask':
      return transferableMask(checkMaskPng(request.png, request.rows, request.columns));
    case 'sample': {
      const sample = await encodeScanSampleFile(
        request.filePath,
        request.mask,
        request.sampleRows,
        request.sampleColumns,
      );
      return { result: sample, transfer: [sample.png.buffer as ArrayBuffer] };
    }
    case 'overlap':
      return { result: await countMapFileOverlap(request.mapPath, request.mask, request.level) };
    case 'file':
      return transferableImage(await decodeImageFile(request.filePath, request.options));
  }
});
