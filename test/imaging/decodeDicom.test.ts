import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../main/imaging/decodeImage.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import { windowLinear, windowLinearExact, windowSigmoid } from '../../main/imaging/voi.js';
import { encodeRle } from '../helpers/encoders.js';
import {
  gradientPixels,
  writeSyntheticDicom,
  type SyntheticDicomOptions,
} from '../helpers/syntheticDicom.js';

/** Deterministic pseudo-random 16-bit values (compress badly, so files get big fast). */
function noise(count: number, seed = 7): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state & 0xffff;
  });
}

const decode = (options: SyntheticDicomOptions, decodeOptions = {}, name = 'synthetic.dcm') =>
  decodeImage(writeSyntheticDicom(options), name, decodeOptions);

/** Expected display byte from an independent evaluation of the formula. */
const level = (fraction: number) => Math.round(255 * fraction);

/** 4 x 8 image with values that differ in both bytes, so that byte order matters. */
const values16 = Array.from({ length: 32 }, (_, i) => (i * 2053 + 0x0102) % 65536);

describe('native DICOM decoding', () => {
  for (const transferSyntax of ['implicit-le', 'explicit-le', 'explicit-be', 'deflated-le'] as const) {
    it(`reads 16-bit stored values in ${transferSyntax}`, async () => {
      const image = await decode({ rows: 4, columns: 8, pixels: values16, transferSyntax });
      expect(image).toMatchObject({
        format: 'dicom',
        rows: 4,
        columns: 8,
        bitsAllocated: 16,
        bitsStored: 16,
      });
      expect(image.stored).toBeInstanceOf(Uint16Array);
      expect(Array.from(image.stored)).toEqual(values16);
      expect(image.display).toHaveLength(32);
    });
  }

  it('reads a deflated data set that dicom-parser alone misparses', async () => {
    // dicom-parser re-parses a deflated file from offset 0 (preamble and meta as elements); with
    // these UIDs that desynchronises and fails, so we inflate before parsing.
    const image = await decode({
      rows: 4,
      columns: 8,
      pixels: values16,
      transferSyntax: 'deflated-le',
      sopInstanceUid: '2.25.28856168691970',
      studyInstanceUid: '2.25.28856168691971',
      seriesInstanceUid: '2.25.28856168691972',
    });
    expect(Array.from(image.stored)).toEqual(values16);
    expect(image.transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
  });

  it('reads 8-bit unsigned and signed pixels', async () => {
    const unsigned = await decode({
      rows: 2,
      columns: 3,
      bitsAllocated: 8,
      pixels: [0, 1, 127, 128, 200, 255],
    });
    expect(unsigned.stored).toBeInstanceOf(Uint8Array);
    expect(Array.from(unsigned.stored)).toEqual([0, 1, 127, 128, 200, 255]);
    const signed = await decode({
      rows: 2,
      columns: 3,
      bitsAllocated: 8,
      pixelRepresentation: 1,
      pixels: [-128, -1, 0, 1, 100, 127],
    });
    expect(signed.stored).toBeInstanceOf(Int8Array);
    expect(Array.from(signed.stored)).toEqual([-128, -1, 0, 1, 100, 127]);
  });

  it('sign-extends signed 12-in-16-bit pixels in both byte orders', async () => {
    const pixels = [-2048, -1000, -1, 0, 1, 1000, 2047, -2];
    for (const transferSyntax of ['explicit-le', 'explicit-be'] as const) {
      const image = await decode({
        rows: 2,
        columns: 4,
        bitsStored: 12,
        pixelRepresentation: 1,
        pixels,
        transferSyntax,
      });
      expect(image.stored).toBeInstanceOf(Int16Array);
      expect(Array.from(image.stored)).toEqual(pixels);
      expect(image.storedRange).toEqual({ min: -2048, max: 2047 });
    }
  });

  it('masks bits above BitsStored and honours a HighBit that is not BitsStored - 1', async () => {
    // Overlay/garbage bits above a 12-bit value, as old modalities wrote them.
    const words = Uint16Array.from([0xf000 | 5, 0xa000 | 4095, 0x1000 | 0x800, 0]);
    const garbage = await decode({
      rows: 2,
      columns: 2,
      bitsStored: 12,
      pixelBytes: new Uint8Array(words.buffer),
    });
    expect(Array.from(garbage.stored)).toEqual([5, 4095, 0x800, 0]);
    const signedGarbage = await decode({
      rows: 2,
      columns: 2,
      bitsStored: 12,
      pixelRepresentation: 1,
      pixelBytes: new Uint8Array(words.buffer),
    });
    expect(Array.from(signedGarbage.stored)).toEqual([5, -1, -2048, 0]);
    const shifted = await decode({
      rows: 1,
      columns: 3,
      bitsStored: 12,
      highBit: 15,
      pixels: [1, 2048, 4095],
    });
    expect(Array.from(shifted.stored)).toEqual([1, 2048, 4095]);
  });

  it('accepts files without preamble and bare data sets', async () => {
    const pixels = gradientPixels(4, 4, 12);
    for (const preamble of ['none', 'no-meta'] as const) {
      for (const transferSyntax of ['implicit-le', 'explicit-le'] as const) {
        const image = await decode({ rows: 4, columns: 4, bitsStored: 12, pixels, preamble, transferSyntax });
        expect(Array.from(image.stored)).toEqual(pixels);
      }
    }
  });
});

describe('modality and VOI on DICOM', () => {
  const pixels = gradientPixels(8, 8, 12);

  it('applies the first window with the LINEAR formula after the rescale', async () => {
    const image = await decode({
      rows: 8,
      columns: 8,
      bitsStored: 12,
      pixels,
      rescale: { slope: 2, intercept: -1000 },
      windowCenter: [3000, 100],
      windowWidth: [4000, 50],
    });
    expect(image.voi).toMatchObject({
      kind: 'window',
      center: 3000,
      width: 4000,
      function: 'LINEAR',
      source: 'window',
    });
    expect(image.modalityTransform).toEqual({ kind: 'rescale', slope: 2, intercept: -1000 });
    expect(image.modalityRange).toEqual({ min: -1000, max: 4095 * 2 - 1000 });
    expect(Array.from(image.display)).toEqual(
      pixels.map((v) => level(windowLinear(2 * v - 1000, 3000, 4000))),
    );
    expect(image.voiCandidates.windows).toHaveLength(2);
  });

  it('uses LINEAR_EXACT and SIGMOID when VOILUTFunction says so', async () => {
    const exact = await decode({
      rows: 8,
      columns: 8,
      bitsStored: 12,
      pixels,
      windowCenter: 2000,
      windowWidth: 1000,
      voiLutFunction: 'LINEAR_EXACT',
    });
    expect(Array.from(exact.display)).toEqual(pixels.map((v) => level(windowLinearExact(v, 2000, 1000))));
    const sigmoid = await decode({
      rows: 8,
      columns: 8,
      bitsStored: 12,
      pixels,
      windowCenter: 2000,
      windowWidth: 4000,
      voiLutFunction: 'SIGMOID',
    });
    expect(sigmoid.voi).toMatchObject({ function: 'SIGMOID' });
    expect(Array.from(sigmoid.display)).toEqual(pixels.map((v) => level(windowSigmoid(v, 2000, 4000))));
    // Unlike a linear window of the same width, a sigmoid does not reach black at the window's edge.
    expect(sigmoid.display[0]).toBe(level(1 / (1 + Math.exp(2))));
  });

  it('falls back to the min/max of modality values without any VOI', async () => {
    const image = await decode({
      rows: 2,
      columns: 2,
      pixels: [1000, 1500, 2000, 3000],
      omit: ['WindowCenter', 'WindowWidth'],
    });
    expect(image.voi).toMatchObject({ source: 'minmax', center: 2000, width: 2000 });
    expect(Array.from(image.display)).toEqual([0, 64, 128, 255]);
  });

  it('applies a VOI LUT Sequence, honouring first mapped value and bits per entry', async () => {
    // 12-bit entries, mapping inputs 100..103; inputs outside clamp.
    const voiLutSequence = [{ firstMapped: 100, bitsPerEntry: 12, data: [0, 1000, 3000, 4095] }];
    const image = await decode({
      rows: 1,
      columns: 6,
      pixels: [50, 100, 101, 102, 103, 500],
      windowCenter: 0,
      windowWidth: 1,
      voiLutSequence,
    });
    expect(image.voi).toMatchObject({ kind: 'lut', source: 'lut' });
    const expected = [0, 0, 1000, 3000, 4095, 4095].map((v) => level(v / 4095));
    expect(Array.from(image.display)).toEqual(expected);
    // Asking for the window instead gives the window.
    const windowed = await decode(
      {
        rows: 1,
        columns: 6,
        pixels: [50, 100, 101, 102, 103, 500],
        windowCenter: 101,
        windowWidth: 3,
        voiLutSequence,
      },
      { voiSource: 'window' },
    );
    expect(windowed.voi).toMatchObject({ kind: 'window', source: 'window' });
  });

  it('reads signed first mapped values and 8-bit LUT entries (implicit VR too)', async () => {
    for (const transferSyntax of ['explicit-le', 'implicit-le', 'explicit-be'] as const) {
      const image = await decode({
        rows: 1,
        columns: 4,
        bitsStored: 12,
        pixelRepresentation: 1,
        pixels: [-3, -2, -1, 5],
        voiLutSequence: [{ firstMapped: -2, bitsPerEntry: 8, data: [10, 200, 255] }],
        transferSyntax,
      });
      expect(Array.from(image.display), transferSyntax).toEqual([10, 10, 200, 255]);
    }
  });

  it('applies a Modality LUT Sequence before VOI', async () => {
    const image = await decode({
      rows: 1,
      columns: 3,
      pixels: [0, 1, 2],
      modalityLut: { firstMapped: 0, bitsPerEntry: 16, data: [100, 300, 200] },
      windowCenter: 200,
      windowWidth: 201,
      voiLutFunction: 'LINEAR_EXACT',
    });
    expect(image.modalityTransform.kind).toBe('lut');
    expect(image.modalityRange).toEqual({ min: 100, max: 300 });
    expect(Array.from(image.display)).toEqual(
      [100, 300, 200].map((x) => level(windowLinearExact(x, 200, 201))),
    );
  });

  it('inverts MONOCHROME1 after VOI, not before', async () => {
    // A non-linear LUT makes the order observable: inverting stored values first would read the LUT backwards.
    const lut = { firstMapped: 0, bitsPerEntry: 8, data: [0, 10, 40, 90, 160, 255] };
    const common = {
      rows: 1,
      columns: 6,
      bitsAllocated: 8 as const,
      pixels: [0, 1, 2, 3, 4, 5],
      voiLutSequence: [lut],
    };
    const mono2 = await decode({ ...common, photometric: 'MONOCHROME2' });
    const mono1 = await decode({ ...common, photometric: 'MONOCHROME1' });
    expect(mono1.photometric).toBe('MONOCHROME1');
    expect(Array.from(mono2.display)).toEqual([0, 10, 40, 90, 160, 255]);
    expect(Array.from(mono1.display)).toEqual([255, 245, 215, 165, 95, 0]);
    // and with a window
    const w2 = await decode({ ...common, voiLutSequence: undefined, windowCenter: 3, windowWidth: 4 });
    const w1 = await decode({
      ...common,
      voiLutSequence: undefined,
      windowCenter: 3,
      windowWidth: 4,
      photometric: 'MONOCHROME1',
    });
    expect(Array.from(w1.display)).toEqual(Array.from(w2.display, (v) => 255 - v));
  });

  it('lets the caller override the window', async () => {
    const image = await decode(
      { rows: 8, columns: 8, bitsStored: 12, pixels, windowCenter: 2000, windowWidth: 1000 },
      { window: { center: 1000, width: 500 }, voiLutFunction: 'LINEAR_EXACT' },
    );
    expect(image.voi).toMatchObject({
      source: 'override',
      center: 1000,
      width: 500,
      function: 'LINEAR_EXACT',
    });
    expect(Array.from(image.display)).toEqual(pixels.map((v) => level(windowLinearExact(v, 1000, 500))));
  });
});

describe('DICOM errors', () => {
  const expectDecodeError = async (promise: Promise<unknown>, code: string, message: string | RegExp) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).code).toBe(code);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  };

  it('reports truncated pixel data with the byte counts', async () => {
    for (const transferSyntax of ['explicit-le', 'implicit-le'] as const) {
      const file = writeSyntheticDicom({ rows: 16, columns: 16, transferSyntax });
      await expectDecodeError(
        decodeImage(file.subarray(0, file.length - 100), '/some/dir/x.dcm'),
        'truncated-pixel-data',
        'x.dcm: truncated pixel data (expected 512 bytes, found 412)',
      );
    }
  });

  it('reports truncated fragments of encapsulated pixel data', async () => {
    const file = writeSyntheticDicom({
      transferSyntax: '1.2.840.10008.1.2.5',
      encapsulatedFrames: [new Uint8Array(400)],
    });
    // Cut inside the fragment: drop the sequence delimiter (8 bytes) and 50 bytes of the fragment.
    await expectDecodeError(
      decodeImage(file.subarray(0, file.length - 58), 'x.dcm'),
      'truncated-pixel-data',
      'x.dcm: truncated pixel data (expected 400 bytes of fragments, found 350)',
    );
    // Cut between fragment items (dcmjs splits 30 KiB into 20 + 10 KiB): every fragment that is
    // left is whole, so only the failing decode shows that the second one is missing.
    const rle = encodeRle({ width: 128, height: 120, bitsPerSample: 16, values: noise(128 * 120) }, 16);
    expect(rle.length).toBeGreaterThan(20 * 1024);
    const file2 = writeSyntheticDicom({
      rows: 120,
      columns: 128,
      transferSyntax: '1.2.840.10008.1.2.5',
      encapsulatedFrames: [rle],
    });
    const secondFragment = rle.length + (rle.length % 2) - 20 * 1024;
    await expectDecodeError(
      decodeImage(file2.subarray(0, file2.length - 8 - 8 - secondFragment), 'y.dcm'),
      'truncated-pixel-data',
      /^y\.dcm: truncated pixel data \(no sequence delimiter, and the fragments do not decode: RLE: segment/,
    );
    // Without only its delimiter the same file is complete and decodes.
    const image = await decodeImage(file2.subarray(0, file2.length - 8), 'z.dcm');
    expect(image.rows).toBe(120);
  });

  it('reports a file without pixel data', async () => {
    await expectDecodeError(
      decode({ omit: ['PixelData'] }, {}, 'x.dcm'),
      'no-pixel-data',
      'x.dcm: no pixel data',
    );
  });

  it('rejects unsupported transfer syntaxes by name', async () => {
    const file = writeSyntheticDicom({
      transferSyntax: '1.2.840.10008.1.2.4.100',
      encapsulatedFrames: [new Uint8Array(16)],
    });
    await expectDecodeError(
      decodeImage(file, 'MG1.dcm'),
      'unsupported-transfer-syntax',
      'MG1.dcm: unsupported transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2)',
    );
  });

  it('rejects colour, multi-frame and 32-bit images', async () => {
    await expectDecodeError(
      decode(
        { photometric: 'RGB', samplesPerPixel: 3, pixelBytes: new Uint8Array(16 * 16 * 6) },
        {},
        'c.dcm',
      ),
      'unsupported-image',
      'c.dcm: colour images are not supported (PhotometricInterpretation RGB, SamplesPerPixel 3)',
    );
    await expectDecodeError(
      decode({ numberOfFrames: 2, pixelBytes: new Uint8Array(16 * 16 * 4) }, {}, 'm.dcm'),
      'unsupported-image',
      'm.dcm: multi-frame images are not supported (NumberOfFrames 2)',
    );
    await expectDecodeError(
      decode({ extra: { BitsAllocated: 32 }, pixelBytes: new Uint8Array(16 * 16 * 4) }, {}, 'b.dcm'),
      'unsupported-image',
      /b\.dcm: BitsAllocated 32 is not supported/,
    );
  });

  it('rejects things that are not images', async () => {
    await expectDecodeError(
      decodeImage(Buffer.from('hello world, not an image'), 'notes.txt'),
      'unknown-format',
      /notes\.txt: not a DICOM, PNG or PGM image/,
    );
    await expectDecodeError(decodeImage(new Uint8Array(0), 'empty.dcm'), 'unknown-format', /empty\.dcm/);
  });
});
