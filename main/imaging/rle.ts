/** Image geometry an RLE frame must be decoded against. */
export interface RleFrameGeometry {
  readonly rows: number;
  readonly columns: number;
  /** 8, 16 or 32: each byte of a sample is its own segment. */
  readonly bitsAllocated: number;
  readonly samplesPerPixel: number;
}

const HEADER_LENGTH = 64;
const MAX_SEGMENTS = 15;

/**
 * Decodes one DICOM RLE Lossless frame (PS3.5 Annex G) to native little-endian bytes with samples
 * interleaved per pixel, i.e. what an Explicit VR Little Endian file would hold for the frame.
 *
 * Segments are PackBits byte streams, one per byte plane, most significant plane first; a segment
 * that decodes to more bytes than a plane holds is cut (encoders may pad to even length), one
 * that decodes to fewer is an error.
 *
 * @throws Error when the header is malformed or a segment is short.
 */
export function decodeRle(encoded: Uint8Array, geometry: RleFrameGeometry): Uint8Array {
  const { rows, columns, bitsAllocated, samplesPerPixel } = geometry;
  if (bitsAllocated % 8 !== 0 || bitsAllocated === 0) {
    throw new Error(`RLE: BitsAllocated ${bitsAllocated} is not a whole number of bytes`);
  }
  if (encoded.length < HEADER_LENGTH) {
    throw new Error(`RLE: frame of ${encoded.length} bytes is shorter than the 64-byte header`);
  }
  const header = new DataView(encoded.buffer, encoded.byteOffset, HEADER_LENGTH);
  const segmentCount = header.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  const expectedSegments = bytesPerSample * samplesPerPixel;
  if (segmentCount !== expectedSegments || segmentCount > MAX_SEGMENTS) {
    throw new Error(`RLE: header lists ${segmentCount} segments, expected ${expectedSegments}`);
  }
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(header.getUint32(4 + 4 * s, true));

  const pixelCount = rows * columns;
  const stride = bytesPerSample * samplesPerPixel;
  const out = new Uint8Array(pixelCount * stride);
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s] ?? 0;
    const end = s + 1 < segmentCount ? (offsets[s + 1] ?? encoded.length) : encoded.length;
    if (start < HEADER_LENGTH || start > end || end > encoded.length) {
      throw new Error(`RLE: segment ${s + 1} has an invalid offset ${start}`);
    }
    const sample = Math.floor(s / bytesPerSample);
    const significance = s % bytesPerSample; // 0 = most significant byte
    const firstByte = sample * bytesPerSample + (bytesPerSample - 1 - significance);
    const written = unpackBitsStrided(encoded, start, end, out, firstByte, stride, pixelCount);
    if (written < pixelCount) {
      throw new Error(`RLE: segment ${s + 1} decodes to ${written} bytes, expected ${pixelCount}`);
    }
  }
  return out;
}

/** PackBits into every `stride`-th byte of `out`; returns how many bytes were produced (at most `limit`). */
function unpackBitsStrided(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  firstByte: number,
  stride: number,
  limit: number,
): number {
  let inPos = start;
  let produced = 0;
  let outPos = firstByte;
  while (inPos < end && produced < limit) {
    const control = src[inPos++] ?? 0;
    if (control < 128) {
      // literal run of control + 1 bytes
      const count = Math.min(control + 1, limit - produced, end - inPos);
      for (let i = 0; i < count; i++) {
        out[outPos] = src[inPos + i] ?? 0;
        outPos += stride;
      }
      inPos += control + 1;
      produced += count;
    } else if (control > 128) {
      // replicate next byte 257 - control times; 128 is a no-op
      if (inPos >= end) break;
      const value = src[inPos++] ?? 0;
      const count = Math.min(257 - control, limit - produced);
      for (let i = 0; i < count; i++) {
        out[outPos] = value;
        outPos += stride;
      }
      produced += count;
    }
  }
  return produced;
}
