/**
 * worker_threads entry for {@link DecodePool}: decodes one file per request (or checks that one
 * decodes, checks one mask
 * PNG, encodes one training sample, counts one map's overlap with a mask, rescales one 8-bit
 * image's rows, reads one binary mask file, rewrites one DICOM file's header) and transfers the
 * pixel buffers back. Codecs stay
 * loaded between requests, which is the point of reusing workers.
 */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { readBinaryMaskFile } from './binaryMask.js';
import { checkDecodesFile } from './decodeCheck.js';
import { decodeImageFile } from './decodeImage.js';
import { rewriteDicomHeaderFile } from './dicomHeaderRewrite.js';
import { countMapFileOverlap } from './mapOverlap.js';
import { checkMaskPng } from './maskPng.js';
import { rescaleGray8Rows } from './rescaleGray8Rows.js';
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
    case 'rescaleRows': {
      const image = await rescaleGray8Rows(request.bytes, request.rowScale);
      return { result: image, transfer: [image.png.buffer as ArrayBuffer] };
    }
    case 'binaryMask': {
      const reading = await readBinaryMaskFile(request.filePath);
      if (!('binary' in reading)) return { result: reading };
      const { mask, png } = reading.binary;
      return { result: reading, transfer: [mask.buffer as ArrayBuffer, png.buffer as ArrayBuffer] };
    }
    case 'rewriteHeader': {
      const rewritten = await rewriteDicomHeaderFile(request.filePath, request.elements);
      return { result: rewritten, transfer: [rewritten.bytes.buffer as ArrayBuffer] };
    }
    case 'file':
      return transferableImage(await decodeImageFile(request.filePath, request.options));
    case 'check':
      return { result: await checkDecodesFile(request.filePath) };
  }
});
