import { describe, expect, it } from 'vitest';
import { decodeRle } from '../../main/imaging/rle.js';
import { encodeRle } from '../helpers/encoders.js';

function rleFrame(segments: number[][]): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    offset += s.length;
  });
  return Uint8Array.from([...new Uint8Array(header.buffer), ...segments.flat()]);
}

describe('decodeRle', () => {
  it('decodes literal, replicate and no-op PackBits codes', () => {
    // 2 x 4 image, 8-bit: literal [1,2,3], replicate 7 x5, no-op 128 in between
    const frame = rleFrame([[2, 1, 2, 3, 128, 0xfc, 7]]);
    expect(
      Array.from(decodeRle(frame, { rows: 2, columns: 4, bitsAllocated: 8, samplesPerPixel: 1 })),
    ).toEqual([1, 2, 3, 7, 7, 7, 7, 7]);
  });

  it('puts the first segment in the most significant byte (little-endian output)', () => {
    const frame = rleFrame([
      [1, 0x12, 0x34],
      [1, 0x56, 0x78],
    ]);
    const out = decodeRle(frame, { rows: 1, columns: 2, bitsAllocated: 16, samplesPerPixel: 1 });
    expect(Array.from(out)).toEqual([0x56, 0x12, 0x78, 0x34]);
  });

  it('round-trips the test encoder, including runs that cross 128 bytes', () => {
    const values = Array.from({ length: 300 * 3 }, (_, i) => (i < 400 ? 1234 : (i * 7919) % 65536));
    const encoded = encodeRle({ width: 300, height: 3, bitsPerSample: 16, values }, 16);
    const out = decodeRle(encoded, { rows: 3, columns: 300, bitsAllocated: 16, samplesPerPixel: 1 });
    expect(Array.from(new Uint16Array(out.buffer))).toEqual(values);
  });

  it('rejects short segments, bad segment counts and short headers', () => {
    const geometry = { rows: 2, columns: 4, bitsAllocated: 8, samplesPerPixel: 1 };
    expect(() => decodeRle(rleFrame([[2, 1, 2, 3]]), geometry)).toThrow(
      /segment 1 decodes to 3 bytes, expected 8/,
    );
    expect(() =>
      decodeRle(
        rleFrame([
          [0, 1],
          [0, 1],
        ]),
        geometry,
      ),
    ).toThrow(/lists 2 segments, expected 1/);
    expect(() => decodeRle(new Uint8Array(10), geometry)).toThrow(/shorter than the 64-byte header/);
  });
});
