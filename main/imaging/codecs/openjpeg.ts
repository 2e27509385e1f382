import {
  assertDecoded,
  copyOut,
  loadEmscriptenModule,
  runCodec,
  type CodecFrameInfo,
  type EmbindObject,
} from './emscripten.js';
import { samplesFromBytes, type DecodedFrame } from './types.js';

interface J2KDecoder extends EmbindObject {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
}

interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20];

/**
 * Returns the codestream inside a JP2 file (the `jp2c` box), or the input when it is already a
 * bare codestream. DICOM requires bare codestreams, but some writers embed whole JP2 files and
 * the decoder only reads codestreams.
 */
export function unwrapJp2(bytes: Uint8Array): Uint8Array {
  if (!JP2_SIGNATURE.every((b, i) => bytes[i] === b)) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    let length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    let header = 8;
    if (length === 1 && pos + 16 <= bytes.length) {
      length = Number(view.getBigUint64(pos + 8));
      header = 16;
    } else if (length === 0) {
      length = bytes.length - pos;
    }
    if (type === 'jp2c') return bytes.subarray(pos + header, Math.min(bytes.length, pos + length));
    if (length < header) break;
    pos += length;
  }
  return bytes;
}

const GLUE = '@cornerstonejs/codec-openjpeg/decodewasmjs';

function load(): Promise<OpenJpegModule> {
  return loadEmscriptenModule<OpenJpegModule>(GLUE, '@cornerstonejs/codec-openjpeg/decodewasm');
}

/** Decodes a JPEG 2000 codestream (transfer syntaxes .4.90 and .4.91) with OpenJPEG. */
export async function decodeJpeg2000(encoded: Uint8Array): Promise<DecodedFrame> {
  const codec = await load();
  return runCodec(GLUE, () => {
    const decoder = new codec.J2KDecoder();
    try {
      const codestream = unwrapJp2(encoded);
      decoder.getEncodedBuffer(codestream.length).set(codestream);
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
