import { decodeWithCodec, type EmscriptenCodec, type EmscriptenDecoder } from './emscripten.js';
import type { DecodedFrame } from './types.js';

interface CharlsModule {
  JpegLSDecoder: new () => EmscriptenDecoder;
  getExceptionMessage?: (pointer: number) => string;
}

const CHARLS: EmscriptenCodec<CharlsModule> = {
  glue: '@cornerstonejs/codec-charls/decodewasmjs',
  wasm: '@cornerstonejs/codec-charls/decodewasm',
  newDecoder: (module) => new module.JpegLSDecoder(),
  decode(decoder, module) {
    try {
      decoder.decode();
    } catch (thrown) {
      // CharLS throws a heap pointer that only its own module can turn into text.
      if (typeof thrown === 'number' && module.getExceptionMessage) {
        throw new Error(`CharLS: ${module.getExceptionMessage(thrown)}`, { cause: thrown });
      }
      throw thrown;
    }
  },
  signed: 'never',
};

/**
 * Decodes a JPEG-LS codestream (transfer syntaxes .4.80 and .4.81) with CharLS. JPEG-LS has no
 * notion of signed samples, so the result is always raw unsigned codes.
 */
export async function decodeJpegLs(encoded: Uint8Array): Promise<DecodedFrame> {
  return decodeWithCodec(CHARLS, encoded);
}
