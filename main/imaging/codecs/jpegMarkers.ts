/** JPEG coding process, from the start-of-frame marker of the codestream. */
export type JpegProcess = 'baseline' | 'extended' | 'progressive' | 'lossless' | 'jpeg-ls' | 'other';

/** What the first start-of-frame segment of a JPEG or JPEG-LS codestream declares. */
export interface JpegFrameHeader {
  readonly process: JpegProcess;
  /** The SOF marker's second byte, e.g. 0xc1. */
  readonly marker: number;
  readonly precision: number;
  readonly height: number;
  readonly width: number;
  readonly components: number;
}

const PROCESS_BY_MARKER: ReadonlyMap<number, JpegProcess> = new Map([
  [0xc0, 'baseline'],
  [0xc1, 'extended'],
  [0xc2, 'progressive'],
  [0xc3, 'lossless'],
  [0xf7, 'jpeg-ls'],
]);

/**
 * Finds the SOF segment of a JPEG family codestream, or returns `undefined` when there is none.
 * The pipeline dispatches on this rather than on the transfer syntax alone because files labelled
 * "baseline" that really hold 12-bit or lossless JPEG are common in the wild.
 */
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // markers without a length
      continue;
    }
    const length = ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0);
    const isSof =
      (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
      marker === 0xf7;
    if (isSof) {
      if (pos + 10 > bytes.length) return undefined;
      return {
        process: PROCESS_BY_MARKER.get(marker) ?? 'other',
        marker,
        precision: bytes[pos + 4] ?? 0,
        height: ((bytes[pos + 5] ?? 0) << 8) | (bytes[pos + 6] ?? 0),
        width: ((bytes[pos + 7] ?? 0) << 8) | (bytes[pos + 8] ?? 0),
        components: bytes[pos + 9] ?? 0,
      };
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data or end before any frame
    pos += 2 + length;
  }
  return undefined;
}
