import { decodeWithCodec, type EmscriptenCodec, type EmscriptenDecoder } from './emscripten.js';
import type { DecodedFrame } from './types.js';

const LIBJPEG_TURBO: EmscriptenCodec<{ JPEGDecoder: new () => EmscriptenDecoder }> = {
  glue: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  wasm: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
  newDecoder: (module) => new module.JPEGDecoder(),
  signed: 'never',
  // The 8-bit build always yields 8-bit samples, whatever the frame info says.
  bitsPerSample: 8,
};

/** Decodes an 8-bit DCT JPEG (baseline, 8-bit extended or progressive) with libjpeg-turbo. */
export async function decodeJpeg8Bit(encoded: Uint8Array): Promise<DecodedFrame> {
  return decodeWithCodec(LIBJPEG_TURBO, encoded);
}
