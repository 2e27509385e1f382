import { decodeWithCodec, type EmscriptenCodec, type EmscriptenDecoder } from './emscripten.js';
import type { DecodedFrame } from './types.js';

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

const OPENJPEG: EmscriptenCodec<{ J2KDecoder: new () => EmscriptenDecoder }> = {
  glue: '@cornerstonejs/codec-openjpeg/decodewasmjs',
  wasm: '@cornerstonejs/codec-openjpeg/decodewasm',
  newDecoder: (module) => new module.J2KDecoder(),
  signed: 'reported',
};

/** Decodes a JPEG 2000 codestream (transfer syntaxes .4.90 and .4.91) with OpenJPEG. */
export async function decodeJpeg2000(encoded: Uint8Array): Promise<DecodedFrame> {
  return decodeWithCodec(OPENJPEG, unwrapJp2(encoded));
}
