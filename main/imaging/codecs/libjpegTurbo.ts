import {
  assertDecoded,
  copyOut,
  loadEmscriptenModule,
  runCodec,
  type CodecFrameInfo,
  type EmbindObject,
} from './emscripten.js';
import type { DecodedFrame } from './types.js';

interface JPEGDecoder extends EmbindObject {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
}

interface LibJpegTurboModule {
  JPEGDecoder: new () => JPEGDecoder;
}

const GLUE = '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';

function load(): Promise<LibJpegTurboModule> {
  return loadEmscriptenModule<LibJpegTurboModule>(GLUE, '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm');
}

/** Decodes an 8-bit DCT JPEG (baseline, 8-bit extended or progressive) with libjpeg-turbo. */
export async function decodeJpeg8Bit(encoded: Uint8Array): Promise<DecodedFrame> {
  const codec = await load();
  return runCodec(GLUE, () => {
    const decoder = new codec.JPEGDecoder();
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      decoder.decode();
      const info = decoder.getFrameInfo();
      assertDecoded(info);
      return {
        samples: copyOut(decoder.getDecodedBuffer()),
        width: info.width,
        height: info.height,
        bitsPerSample: 8,
        components: info.componentCount,
        signed: false,
      };
    } finally {
      decoder.delete();
    }
  });
}
