/** Samples as a codec produced them: one component, row-major, before DICOM bit masking. */
export interface DecodedFrame {
  readonly samples: Uint8Array | Int8Array | Uint16Array | Int16Array;
  readonly width: number;
  readonly height: number;
  /** Precision the codestream declares (e.g. 12 for a 12-bit JPEG). */
  readonly bitsPerSample: number;
  /** Number of interleaved components in `samples`; the pipeline accepts only 1. */
  readonly components: number;
  /** True when `samples` already hold signed values; false means raw unsigned codes. */
  readonly signed: boolean;
}

/**
 * Reinterprets little-endian codec output bytes as samples. The bytes must own their buffer from
 * offset 0 (see `copyOut`), which keeps 16-bit views aligned.
 */
export function samplesFromBytes(
  bytes: Uint8Array,
  bitsPerSample: number,
  signed: boolean,
): Uint8Array | Int8Array | Uint16Array | Int16Array {
  if (bitsPerSample <= 8) return signed ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  const count = bytes.length >> 1;
  return signed
    ? new Int16Array(bytes.buffer, bytes.byteOffset, count)
    : new Uint16Array(bytes.buffer, bytes.byteOffset, count);
}
