import {
  assertDecoded,
  copyOut,
  loadEmscriptenModule,
  runCodec,
  type CodecFrameInfo,
  type EmbindObject,
} from './emscripten.js';
import { samplesFromBytes, type DecodedFrame } from './types.js';

interface JpegLSDecoder extends EmbindObject {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
}

interface CharlsModule {
  JpegLSDecoder: new () => JpegLSDecoder;
  getExceptionMessage?: (pointer: number) => string;
}

const GLUE = '@cornerstonejs/codec-charls/decodewasmjs';

function load(): Promise<CharlsModule> {
  return loadEmscriptenModule<CharlsModule>(GLUE, '@cornerstonejs/codec-charls/decodewasm');
}

/**
 * Decodes a JPEG-LS codestream (transfer syntaxes .4.80 and .4.81) with CharLS. JPEG-LS has no
 * notion of signed samples, so the result is always raw unsigned codes.
 */
export async function decodeJpegLs(encoded: Uint8Array): Promise<DecodedFrame> {
  const codec = await load();
  return runCodec(GLUE, () => {
    const decoder = new codec.JpegLSDecoder();
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      try {
        decoder.decode();
      } catch (thrown) {
        // CharLS throws a heap pointer that only its own module can turn into text.
        if (typeof thrown === 'number' && codec.getExceptionMessage) {
          throw new Error(`CharLS: ${codec.getExceptionMessage(thrown)}`, { cause: thrown });
        }
        throw thrown;
      }
      const info = decoder.getFrameInfo();
      assertDecoded(info);
      return {
        samples: samplesFromBytes(copyOut(decoder.getDecodedBuffer()), info.bitsPerSample, false),
        width: info.width,
        height: info.height,
        bitsPerSample: info.bitsPerSample,
        components: info.componentCount,
        signed: false,
      };
    } finally {
      decoder.delete();
    }
  });
}
