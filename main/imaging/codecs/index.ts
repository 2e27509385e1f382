import type { PixelEncoding } from '../transferSyntax.js';
import { decodeJpegLs } from './charls.js';
import { decodeJpeg12Bit } from './jpegExtended.js';
import { decodeJpegLossless } from './jpegLossless.js';
import { readJpegFrameHeader } from './jpegMarkers.js';
import { decodeJpeg8Bit } from './libjpegTurbo.js';
import { decodeJpeg2000 } from './openjpeg.js';
import { decodeHtj2k } from './openjph.js';
import type { DecodedFrame } from './types.js';

export type { DecodedFrame } from './types.js';

/** Encodings whose frames go through a codec (everything but native, RLE and encapsulated raw). */
export type CodecEncoding = Exclude<PixelEncoding, 'native' | 'encapsulated-uncompressed' | 'rle'>;

/**
 * JPEG family streams are routed by their SOF marker, not by the transfer syntax: 12-bit data
 * labelled baseline, or lossless data labelled extended, are real-world mislabellings that the
 * matching decoder reads fine.
 */
async function decodeJpegFamily(encoded: Uint8Array): Promise<DecodedFrame> {
  const header = readJpegFrameHeader(encoded);
  if (header === undefined) throw new Error('no JPEG start-of-frame segment found');
  switch (header.process) {
    case 'lossless':
      return decodeJpegLossless(encoded, header);
    case 'jpeg-ls':
      return decodeJpegLs(encoded);
    case 'baseline':
    case 'extended':
    case 'progressive':
      return header.precision <= 8 ? decodeJpeg8Bit(encoded) : decodeJpeg12Bit(encoded, header.precision);
    default:
      throw new Error(
        `unsupported JPEG process (SOF marker 0xFF${header.marker.toString(16).toUpperCase()})`,
      );
  }
}

/**
 * Decodes one compressed frame with the codec its encoding needs. Codecs are loaded on first use
 * and kept for the life of the thread.
 */
export function decodeCompressedFrame(encoding: CodecEncoding, encoded: Uint8Array): Promise<DecodedFrame> {
  switch (encoding) {
    case 'jpeg-baseline':
    case 'jpeg-extended':
    case 'jpeg-lossless':
    case 'jpeg-ls':
      return decodeJpegFamily(encoded);
    case 'jpeg2000':
      return decodeJpeg2000(encoded);
    case 'htj2k':
      return decodeHtj2k(encoded);
  }
}
