import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../main/imaging/decodeImage.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import {
  encodeHtj2k,
  encodeJpeg2000,
  encodeJpegBaseline,
  encodeJpegExtended,
  encodeJpegLossless,
  encodeJpegLs,
  encodeRle,
  type FrameToEncode,
} from '../helpers/encoders.js';
import { packPixels, writeSyntheticDicom } from '../helpers/syntheticDicom.js';

const ROWS = 37; // not a multiple of 8 or 16, so codecs' padding and cropping are exercised
const COLUMNS = 45;

/** A smooth ramp plus deterministic noise over the BitsStored range, like a small radiograph. */
function testImage(bitsStored: number, signed = false, seed = 1): number[] {
  let state = seed;
  const max = 2 ** bitsStored;
  return Array.from({ length: ROWS * COLUMNS }, (_, i) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const x = i % COLUMNS;
    const y = Math.floor(i / COLUMNS);
    const value =
      Math.floor(((x + y) / (ROWS + COLUMNS)) * max * 0.9 + (state % Math.max(2, max >> 5))) % max;
    return signed ? value - max / 2 : value;
  });
}

interface Case {
  readonly name: string;
  readonly uid: string;
  readonly bitsStored: number;
  readonly signed?: boolean;
  readonly encode: (frame: FrameToEncode) => Uint8Array | Promise<Uint8Array>;
  /** Largest allowed |decoded - original|; 0 for lossless. */
  readonly maxError: number;
}

const CASES: Case[] = [
  {
    name: 'RLE 16-bit',
    uid: '1.2.840.10008.1.2.5',
    bitsStored: 16,
    encode: (f) => encodeRle(f, 16),
    maxError: 0,
  },
  {
    name: 'RLE 8-bit',
    uid: '1.2.840.10008.1.2.5',
    bitsStored: 8,
    encode: (f) => encodeRle(f, 8),
    maxError: 0,
  },
  {
    name: 'RLE signed 12-bit',
    uid: '1.2.840.10008.1.2.5',
    bitsStored: 12,
    signed: true,
    encode: (f) => encodeRle(f, 16),
    maxError: 0,
  },
  {
    name: 'JPEG 2000 lossless 12-bit',
    uid: '1.2.840.10008.1.2.4.90',
    bitsStored: 12,
    encode: encodeJpeg2000,
    maxError: 0,
  },
  {
    name: 'JPEG 2000 signed 16-bit',
    uid: '1.2.840.10008.1.2.4.90',
    bitsStored: 16,
    signed: true,
    encode: encodeJpeg2000,
    maxError: 0,
  },
  {
    name: 'JPEG 2000 (lossy syntax)',
    uid: '1.2.840.10008.1.2.4.91',
    bitsStored: 12,
    encode: encodeJpeg2000,
    maxError: 0,
  },
  {
    name: 'HTJ2K lossless',
    uid: '1.2.840.10008.1.2.4.201',
    bitsStored: 12,
    encode: encodeHtj2k,
    maxError: 0,
  },
  { name: 'HTJ2K RPCL', uid: '1.2.840.10008.1.2.4.202', bitsStored: 16, encode: encodeHtj2k, maxError: 0 },
  { name: 'HTJ2K', uid: '1.2.840.10008.1.2.4.203', bitsStored: 12, encode: encodeHtj2k, maxError: 0 },
  {
    name: 'JPEG-LS lossless',
    uid: '1.2.840.10008.1.2.4.80',
    bitsStored: 12,
    encode: (f) => encodeJpegLs(f),
    maxError: 0,
  },
  {
    name: 'JPEG-LS signed',
    uid: '1.2.840.10008.1.2.4.80',
    bitsStored: 12,
    signed: true,
    encode: (f) => encodeJpegLs(f),
    maxError: 0,
  },
  {
    name: 'JPEG-LS near-lossless (NEAR=3)',
    uid: '1.2.840.10008.1.2.4.81',
    bitsStored: 12,
    encode: (f) => encodeJpegLs(f, 3),
    maxError: 3,
  },
  {
    name: 'JPEG lossless SV1 16-bit',
    uid: '1.2.840.10008.1.2.4.70',
    bitsStored: 16,
    encode: encodeJpegLossless,
    maxError: 0,
  },
  {
    name: 'JPEG lossless signed 12-bit',
    uid: '1.2.840.10008.1.2.4.57',
    bitsStored: 12,
    signed: true,
    encode: encodeJpegLossless,
    maxError: 0,
  },
  {
    name: 'JPEG baseline 8-bit (libjpeg-turbo)',
    uid: '1.2.840.10008.1.2.4.50',
    bitsStored: 8,
    encode: (f) => encodeJpegBaseline(f, 100),
    maxError: 2,
  },
  // With every quantiser 1 the DCT round trip is within a code or two; a level-shift error in the
  // 12-bit decoder (it used to add 15) shows up in the mean check below.
  {
    name: 'JPEG extended 12-bit',
    uid: '1.2.840.10008.1.2.4.51',
    bitsStored: 12,
    encode: encodeJpegExtended,
    maxError: 2,
  },
  {
    name: 'JPEG extended 8-bit',
    uid: '1.2.840.10008.1.2.4.51',
    bitsStored: 8,
    encode: encodeJpegExtended,
    maxError: 2,
  },
  // 12-bit data labelled baseline: routed by the SOF marker, not the label.
  {
    name: 'mislabelled 12-bit as baseline',
    uid: '1.2.840.10008.1.2.4.50',
    bitsStored: 12,
    encode: encodeJpegExtended,
    maxError: 2,
  },
  {
    name: 'encapsulated uncompressed',
    uid: '1.2.840.10008.1.2.1.98',
    bitsStored: 16,
    encode: (f) => packPixels(f.values, { bitsAllocated: 16, bitsStored: 16, highBit: 15 }),
    maxError: 0,
  },
];

describe('compressed transfer syntaxes', () => {
  for (const c of CASES) {
    it(`decodes ${c.name} (${c.uid})`, async () => {
      const values = testImage(c.bitsStored, c.signed);
      const encoded = await c.encode({
        width: COLUMNS,
        height: ROWS,
        bitsPerSample: c.bitsStored,
        signed: c.signed ?? false,
        values,
      });
      const file = writeSyntheticDicom({
        rows: ROWS,
        columns: COLUMNS,
        bitsAllocated: c.bitsStored > 8 ? 16 : 8,
        bitsStored: c.bitsStored,
        pixelRepresentation: c.signed ? 1 : 0,
        transferSyntax: c.uid,
        encapsulatedFrames: [encoded],
      });
      const image = await decodeImage(file, 'fixture.dcm');
      expect(image.transferSyntaxUid).toBe(c.uid);
      expect(image.rows).toBe(ROWS);
      expect(image.columns).toBe(COLUMNS);
      expect(image.stored).toHaveLength(ROWS * COLUMNS);
      const expectedType =
        c.bitsStored > 8 ? (c.signed ? Int16Array : Uint16Array) : c.signed ? Int8Array : Uint8Array;
      expect(image.stored).toBeInstanceOf(expectedType);
      if (c.maxError === 0) {
        expect(Array.from(image.stored)).toEqual(values);
      } else {
        let worst = 0;
        let sum = 0;
        values.forEach((v, i) => {
          const d = (image.stored[i] ?? 0) - v;
          worst = Math.max(worst, Math.abs(d));
          sum += d;
        });
        expect(worst).toBeLessThanOrEqual(c.maxError);
        expect(Math.abs(sum / values.length)).toBeLessThan(0.5);
      }
    });
  }

  it('joins a frame split over many fragments', async () => {
    // Noise compresses badly: ~90 KiB of RLE, which dcmjs splits into 20 KiB fragments.
    const rows = 200;
    const columns = 230;
    let state = 3;
    const values = Array.from({ length: rows * columns }, () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state & 0xffff;
    });
    const encoded = encodeRle({ width: columns, height: rows, bitsPerSample: 16, values }, 16);
    expect(encoded.length).toBeGreaterThan(3 * 20 * 1024);
    const file = writeSyntheticDicom({
      rows,
      columns,
      transferSyntax: '1.2.840.10008.1.2.5',
      encapsulatedFrames: [encoded],
    });
    const image = await decodeImage(file, 'fragments.dcm');
    expect(Array.from(image.stored)).toEqual(values);
  });

  it('reports a corrupt codestream as a codec failure naming the file', async () => {
    const corrupt = writeSyntheticDicom({
      transferSyntax: '1.2.840.10008.1.2.4.90',
      encapsulatedFrames: [Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 0, 1, 2, 3])],
    });
    const error = await decodeImage(corrupt, '/data/bad.dcm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect(error).toMatchObject({ code: 'codec-failed' });
    expect((error as Error).message).toMatch(
      /^bad\.dcm: cannot decode JPEG 2000 \(Lossless Only\) pixel data/,
    );

    const notJpeg = writeSyntheticDicom({
      transferSyntax: '1.2.840.10008.1.2.4.70',
      encapsulatedFrames: [new Uint8Array(64)],
    });
    await expect(decodeImage(notJpeg, 'x.dcm')).rejects.toThrow(
      /^x\.dcm: .*no JPEG start-of-frame segment found/,
    );
  });

  it('refuses a JPEG Lossless codestream cut short, which its decoder would fill in from nothing', async () => {
    const values = testImage(12);
    const stream = encodeJpegLossless({ width: COLUMNS, height: ROWS, bitsPerSample: 12, values });
    const file = (frame: Uint8Array) =>
      writeSyntheticDicom({
        rows: ROWS,
        columns: COLUMNS,
        bitsStored: 12,
        transferSyntax: '1.2.840.10008.1.2.4.70',
        encapsulatedFrames: [frame],
      });
    // Whole, and with a fragment's trailing pad byte: the encoded values exactly.
    for (const whole of [stream, Uint8Array.from([...stream, 0])]) {
      expect(Array.from((await decodeImage(file(whole), 'whole.dcm')).stored)).toEqual(values);
    }
    for (const cut of [stream.length >> 1, stream.length - 10, stream.length - 2]) {
      await expect(decodeImage(file(stream.subarray(0, cut)), 'cut.dcm')).rejects.toMatchObject({
        code: 'codec-failed',
        message: expect.stringMatching(/^cut\.dcm: .*the codestream is truncated/),
      });
    }
  });

  it('rejects a codestream whose size disagrees with Rows/Columns', async () => {
    const values = testImage(12);
    const encoded = await encodeJpeg2000({ width: COLUMNS, height: ROWS, bitsPerSample: 12, values });
    const file = writeSyntheticDicom({
      rows: ROWS + 1,
      columns: COLUMNS,
      bitsStored: 12,
      transferSyntax: '1.2.840.10008.1.2.4.90',
      encapsulatedFrames: [encoded],
    });
    await expect(decodeImage(file, 'size.dcm')).rejects.toThrow(
      `size.dcm: decoded frame is ${COLUMNS}x${ROWS}, header says ${COLUMNS}x${ROWS + 1}`,
    );
  });
});
