/**
 * Transfer syntaxes the pixel pipeline can decode, and names for the ones it cannot so that an
 * importer can tell the user what the file actually is.
 */

/** How a transfer syntax stores its pixel data, which decides the decoder. */
export type PixelEncoding =
  | 'native'
  | 'encapsulated-uncompressed'
  | 'rle'
  | 'jpeg-baseline'
  | 'jpeg-extended'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg2000'
  | 'htj2k';

/** Static facts about one supported transfer syntax. */
export interface TransferSyntaxInfo {
  readonly uid: string;
  readonly name: string;
  readonly encoding: PixelEncoding;
  /** Byte order of native pixel data (encapsulated frames define their own). */
  readonly littleEndian: boolean;
  /** True when the data set after the meta header is zlib-deflated (raw deflate, no header). */
  readonly deflated: boolean;
  /** True when the codec may have discarded information. */
  readonly lossy: boolean;
}

const info = (
  uid: string,
  name: string,
  encoding: PixelEncoding,
  extra: Partial<Pick<TransferSyntaxInfo, 'littleEndian' | 'deflated' | 'lossy'>> = {},
): TransferSyntaxInfo => ({
  uid,
  name,
  encoding,
  littleEndian: extra.littleEndian ?? true,
  deflated: extra.deflated ?? false,
  lossy: extra.lossy ?? false,
});

const SUPPORTED: readonly TransferSyntaxInfo[] = [
  info('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native'),
  info('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'),
  info('1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native', { littleEndian: false }),
  info('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native', { deflated: true }),
  info(
    '1.2.840.10008.1.2.1.98',
    'Encapsulated Uncompressed Explicit VR Little Endian',
    'encapsulated-uncompressed',
  ),
  info('1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'),
  info('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', { lossy: true }),
  info('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-extended', { lossy: true }),
  info('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'),
  info('1.2.840.10008.1.2.4.70', 'JPEG Lossless, First-Order Prediction (Process 14, SV1)', 'jpeg-lossless'),
  info('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
  info('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpeg-ls', { lossy: true }),
  info('1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)', 'jpeg2000'),
  info('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg2000', { lossy: true }),
  info('1.2.840.10008.1.2.4.201', 'HTJ2K (Lossless Only)', 'htj2k'),
  info('1.2.840.10008.1.2.4.202', 'HTJ2K with RPCL Options (Lossless Only)', 'htj2k'),
  info('1.2.840.10008.1.2.4.203', 'HTJ2K', 'htj2k', { lossy: true }),
];

const BY_UID: ReadonlyMap<string, TransferSyntaxInfo> = new Map(SUPPORTED.map((ts) => [ts.uid, ts]));

/** Names of syntaxes that are recognised but not decodable, used only for error messages. */
const UNSUPPORTED_NAMES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.1.2.4.52', 'JPEG Extended (Process 3 & 5), retired'],
  ['1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection, retired'],
  ['1.2.840.10008.1.2.4.55', 'JPEG Full Progression, retired'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component (Lossless Only)'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component'],
  ['1.2.840.10008.1.2.4.94', 'JPIP Referenced'],
  ['1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate'],
  ['1.2.840.10008.1.2.4.100', 'MPEG2'],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible'],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 for 2D Video'],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 for 3D Video'],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo'],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile'],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile'],
  ['1.2.840.10008.1.2.4.110', 'JPEG XL Lossless'],
  ['1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression'],
  ['1.2.840.10008.1.2.4.112', 'JPEG XL'],
  ['1.2.840.10008.1.2.4.204', 'HTJ2K with RPCL Options JPIP Referenced'],
  ['1.2.840.10008.1.2.4.205', 'HTJ2K JPIP Referenced Deflate'],
  ['1.2.840.10008.1.2.6.1', 'RFC 2557 MIME Encapsulation, retired'],
  ['1.2.840.10008.1.2.6.2', 'XML Encoding, retired'],
  ['1.2.840.10008.1.2.7.1', 'SMPTE ST 2110-20 Uncompressed Progressive Active Video'],
]);

/** UIDs of every transfer syntax {@link decodeImage} accepts, in no particular order. */
export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = SUPPORTED.map((ts) => ts.uid);

/** True when pixel data in this transfer syntax can be decoded. Trailing NUL/space padding is ignored. */
export function isSupportedTransferSyntax(uid: string): boolean {
  return BY_UID.has(normalizeUid(uid));
}

/** Facts about a supported transfer syntax, or `undefined` if it is not supported. */
export function getTransferSyntax(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(normalizeUid(uid));
}

/**
 * `"<uid> (<name>)"` for display in messages, e.g. `1.2.840.10008.1.2.4.100 (MPEG2)`; the bare
 * UID when the syntax is not one the standard names (private or malformed).
 */
export function describeTransferSyntax(uid: string): string {
  const clean = normalizeUid(uid);
  const name = BY_UID.get(clean)?.name ?? UNSUPPORTED_NAMES.get(clean);
  return name === undefined ? clean : `${clean} (${name})`;
}

/** UIDs are padded to even length with NUL, and some writers pad with a space. */
export function normalizeUid(uid: string): string {
  return uid.replace(/[\0\s]+$/u, '').trim();
}
