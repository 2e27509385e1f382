import { Decoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import type { DecodedFrame } from './types.js';

/**
 * Decodes a lossless JPEG (Process 14, transfer syntaxes .4.57 and .4.70) in pure JavaScript.
 * The codestream holds unsigned codes; signed data come back two's-complement in `precision` bits.
 *
 * @throws Error when the codestream is cut short.
 * @param header - size and precision read from the SOF3 segment.
 */
export function decodeJpegLossless(
  encoded: Uint8Array,
  header: { width: number; height: number; precision: number; components: number },
): DecodedFrame {
  const bytesPerSample = header.precision > 8 ? 2 : 1;
  const decoder = new Decoder();
  const output = decoder.decode(
    encoded.buffer as ArrayBuffer,
    encoded.byteOffset,
    encoded.length,
    bytesPerSample,
  );
  // The decoder reads past the end of a cut-short stream as if more data followed and fills the
  // rest of the image from nothing; only how far it read tells. A whole stream ends at its EOI.
  const stream = decoder.stream;
  if (stream && stream.index > stream.buffer.length) {
    throw new Error('the codestream is truncated: it ends before its last pixel and end-of-image marker');
  }
  return {
    samples: output,
    width: header.width,
    height: header.height,
    bitsPerSample: header.precision,
    components: header.components,
    signed: false,
  };
}
