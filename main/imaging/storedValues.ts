import type { DecodedFrame } from './codecs/types.js';
import type { PixelModule } from './dicomPixelData.js';

/** Stored pixel values, one per pixel, row-major. Integer types except for float rasters. */
export type StoredPixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Float32Array;

/** The bit layout that turns raw words into stored values. */
export type StoredBitLayout = Pick<
  PixelModule,
  'bitsAllocated' | 'bitsStored' | 'highBit' | 'pixelRepresentation'
>;

/**
 * Native (uncompressed) frame bytes to stored values: byte order, then the HighBit/BitsStored
 * window of each word (bits outside it may hold overlays or garbage), then sign extension for
 * PixelRepresentation 1. The result never shares memory with `bytes`.
 */
export function storedFromNative(
  bytes: Uint8Array,
  layout: StoredBitLayout,
  littleEndian: boolean,
): StoredPixelArray {
  const signed = layout.pixelRepresentation === 1;
  if (layout.bitsAllocated === 8) {
    const words = new Uint8Array(bytes);
    return finish(words, layout, signed ? new Int8Array(words.length) : words);
  }
  const count = bytes.length >> 1;
  const words = new Uint16Array(count);
  if (littleEndian && bytes.byteOffset % 2 === 0) {
    words.set(new Uint16Array(bytes.buffer, bytes.byteOffset, count));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
    for (let i = 0; i < count; i++) words[i] = view.getUint16(i * 2, littleEndian);
  }
  return finish(words, layout, signed ? new Int16Array(count) : words);
}

/** Applies the bit window and sign extension from raw unsigned words into `out` (may alias `words`). */
function finish<T extends StoredPixelArray>(
  words: Uint8Array | Uint16Array,
  layout: StoredBitLayout,
  out: T,
): T {
  const { bitsAllocated, bitsStored, highBit } = layout;
  const shift = highBit + 1 - bitsStored;
  const signed = layout.pixelRepresentation === 1;
  if (bitsStored === bitsAllocated && !signed && (out as StoredPixelArray) === words) return out;
  const mask = (1 << bitsStored) - 1;
  const signBit = 1 << (bitsStored - 1);
  const range = 1 << bitsStored;
  for (let i = 0; i < words.length; i++) {
    const v = ((words[i] ?? 0) >> shift) & mask;
    out[i] = signed && v & signBit ? v - range : v;
  }
  return out;
}

/**
 * Codec output to stored values. Codecs return raw unsigned codes for JPEG family streams even when
 * the DICOM data are signed, so those are masked and sign-extended from BitsStored; a codec that
 * already reports signed samples (JPEG 2000 with a signed codestream) is trusted as is. Unsigned
 * data are not masked, because a codestream's declared precision is authoritative for its values.
 */
export function storedFromCodec(frame: DecodedFrame, layout: StoredBitLayout): StoredPixelArray {
  const { samples } = frame;
  const wantSigned = layout.pixelRepresentation === 1;
  if (frame.signed || !wantSigned) {
    if (frame.signed && !wantSigned) return toUnsigned(samples, layout);
    return ownedCopy(samples, layout);
  }
  const words =
    samples instanceof Uint8Array || samples instanceof Uint16Array ? samples : new Uint16Array(samples);
  const out =
    layout.bitsAllocated === 8 && frame.bitsPerSample <= 8
      ? new Int8Array(words.length)
      : new Int16Array(words.length);
  return finish(words, { ...layout, highBit: layout.bitsStored - 1 }, out);
}

/** Stored arrays are transferred between threads, so they must own a buffer of exactly their size. */
function ownedCopy(samples: DecodedFrame['samples'], layout: StoredBitLayout): StoredPixelArray {
  if (layout.bitsAllocated === 16 && samples instanceof Uint8Array) return new Uint16Array(samples);
  if (layout.bitsAllocated === 16 && samples instanceof Int8Array) return new Int16Array(samples);
  if (samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength) return samples;
  return samples.slice();
}

/** A signed codestream in an unsigned DICOM image: keep the codes' bit patterns within BitsStored. */
function toUnsigned(samples: DecodedFrame['samples'], layout: StoredBitLayout): StoredPixelArray {
  const mask = (1 << layout.bitsStored) - 1;
  const out = layout.bitsAllocated === 8 ? new Uint8Array(samples.length) : new Uint16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] ?? 0) & mask;
  return out;
}

/** Smallest and largest stored value; `{ min: 0, max: 0 }` for an empty array. */
export function storedRange(values: ArrayLike<number>): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
