import { decodeWithCodec, type EmscriptenCodec, type EmscriptenDecoder } from './emscripten.js';
import type { DecodedFrame } from './types.js';

const OPENJPH: EmscriptenCodec<{ HTJ2KDecoder: new () => EmscriptenDecoder }> = {
  glue: '@cornerstonejs/codec-openjph/wasmjs',
  wasm: '@cornerstonejs/codec-openjph/wasm',
  newDecoder: (module) => new module.HTJ2KDecoder(),
  signed: 'reported',
};

/** Decodes a High-Throughput JPEG 2000 codestream (transfer syntaxes .4.201-.4.203) with OpenJPH. */
export async function decodeHtj2k(encoded: Uint8Array): Promise<DecodedFrame> {
  return decodeWithCodec(OPENJPH, encoded);
}
