import {
  assertDecoded,
  copyOut,
  loadEmscriptenModule,
  runCodec,
  type CodecFrameInfo,
  type EmbindObject,
} from './emscripten.js';
import { samplesFromBytes, type DecodedFrame } from './types.js';

interface HTJ2KDecoder extends EmbindObject {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
}

interface OpenJphModule {
  HTJ2KDecoder: new () => HTJ2KDecoder;
}

const GLUE = '@cornerstonejs/codec-openjph/wasmjs';

function load(): Promise<OpenJphModule> {
  return loadEmscriptenModule<OpenJphModule>(GLUE, '@cornerstonejs/codec-openjph/wasm');
}

/** Decodes a High-Throughput JPEG 2000 codestream (transfer syntaxes .4.201-.4.203) with OpenJPH. */
export async function decodeHtj2k(encoded: Uint8Array): Promise<DecodedFrame> {
  const codec = await load();
  return runCodec(GLUE, () => {
    const decoder = new codec.HTJ2KDecoder();
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      decoder.decode();
      const info = decoder.getFrameInfo();
      assertDecoded(info);
      const signed = info.isSigned === true;
      return {
        samples: samplesFromBytes(copyOut(decoder.getDecodedBuffer()), info.bitsPerSample, signed),
        width: info.width,
        height: info.height,
        bitsPerSample: info.bitsPerSample,
        components: info.componentCount,
        signed,
      };
    } finally {
      decoder.delete();
    }
  });
}
