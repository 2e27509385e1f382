/**
 * The decode worker's CBIS-DDSM jobs give the very bytes the same code gives in this thread: the
 * square-pixel PNG of an 8-bit copy (import and evaluation store and predict on it) and a ROI
 * mask's PNG, box and circle. On generated images always, and on real CBIS-DDSM copies when the
 * shared data set is present.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryMaskOf } from '../../main/imaging/binaryMask.js';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import { ImportRejection } from '../../main/studies/dicomMetadata.js';
import { readSquareImage } from '../../main/studies/cbis/squareImage.js';
import { encodeJpegBaseline } from '../helpers/encoders.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

const CBIS_TRAIN = join(import.meta.dirname, '../../../shared/data/cbis-ddsm-mass/train');

/** A film-like 8-bit image: a gradient with texture, so the PNG encoder has real work. */
function texturedPixels(rows: number, columns: number): Uint8Array {
  return new Uint8Array(rows * columns).map((_, i) => {
    const row = Math.floor(i / columns);
    const column = i % columns;
    return (
      (40 + column / 3 + 30 * Math.sin(row / 7) * Math.cos(column / 11) + ((i * 2654435761) >>> 28)) & 255
    );
  });
}

describe('DecodePool CBIS-DDSM jobs', () => {
  const pool = new DecodePool({ size: 1 });
  const tempDir = useTempDir();
  afterAll(() => pool.close());

  it('rescales a generated JPEG and PNG to the same square-pixel PNG as this thread does', async () => {
    const rows = 150;
    const columns = 130;
    const values = texturedPixels(rows, columns);
    const jpeg = await encodeJpegBaseline({ width: columns, height: rows, bitsPerSample: 8, values });
    const png = encodePng({ width: columns, height: rows, data: values, channels: 1, depth: 8 });
    for (const bytes of [jpeg, png]) {
      const here = await readSquareImage(bytes);
      const worker = await readSquareImage(bytes, pool);
      expect(worker).toEqual(here);
      expect(Buffer.from(worker.png).equals(Buffer.from(here.png))).toBe(true);
      // 1.70 rows per squashed row, rounded: 150 -> 255.
      expect(worker).toMatchObject({ squashed: { rows, columns }, rows: 255, columns });
      const decoded = decodePng(worker.png);
      expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([columns, 255, 1, 8]);
    }
    // The caller's bytes are copied to the worker, not taken from it.
    expect(jpeg.byteLength).toBeGreaterThan(0);
  });

  it.runIf(existsSync(CBIS_TRAIN))(
    'rescales real CBIS-DDSM copies to the same PNG bytes as this thread does',
    async () => {
      const names = readdirSync(CBIS_TRAIN)
        .filter((name) => name.endsWith('.jpg'))
        .sort()
        .filter((_, i) => i % 400 === 0);
      expect(names.length).toBeGreaterThanOrEqual(3);
      for (const name of names) {
        const bytes = readFileSync(join(CBIS_TRAIN, name));
        const here = await readSquareImage(bytes);
        const worker = await readSquareImage(bytes, pool);
        expect(worker.squashed).toEqual(here.squashed);
        expect([worker.rows, worker.columns]).toEqual([here.rows, here.columns]);
        expect(Buffer.from(worker.png).equals(Buffer.from(here.png)), name).toBe(true);
      }
    },
  );

  it('refuses bytes that are not an 8-bit grey image in one line, as this thread does', async () => {
    const notAnImage = new TextEncoder().encode('README: the images are in train/');
    await expect(pool.rescaleGray8Rows(notAnImage, 1.7)).rejects.toSatisfy(
      (error) => error instanceof ImageDecodeError && error.reason === 'not a JPEG or PNG image',
    );
    await expect(readSquareImage(notAnImage, pool)).rejects.toThrow(
      new ImportRejection('cannot decode: not a JPEG or PNG image'),
    );
    await expect(readSquareImage(notAnImage)).rejects.toThrow('cannot decode: not a JPEG or PNG image');
    const sixteenBit = encodePng({ width: 4, height: 4, data: new Uint16Array(16), channels: 1, depth: 16 });
    await expect(readSquareImage(sixteenBit, pool)).rejects.toThrow(
      'cannot decode: a 16-bit PNG, expected 8-bit',
    );
  });

  it('reads a mask DICOM as the same binary mask, PNG, box and circle as this thread does', async () => {
    const dir = tempDir();
    const rows = 120;
    const columns = 80;
    // An ellipse with a notch: set pixels hold 255 and the rest 0, as CBIS-DDSM's masks.
    const pixels = new Uint8Array(rows * columns).map((_, i) => {
      const r = Math.floor(i / columns);
      const c = i % columns;
      return ((c - 30) / 12) ** 2 + ((r - 70) / 20) ** 2 < 1 && !(c > 34 && r < 62) ? 255 : 0;
    });
    const file = join(dir, '000001.dcm');
    writeFileSync(file, writeSyntheticDicom({ rows, columns, bitsAllocated: 8, pixels }));
    const reading = await pool.readBinaryMask(file);
    expect(reading).toEqual(binaryMaskOf(pixels, rows, columns));
    if (!('binary' in reading)) throw new Error(`not read as binary: ${reading.notBinary}`);
    // Against the pixels written: the mask, its PNG and its box.
    expect(Array.from(reading.binary.mask)).toEqual(Array.from(pixels));
    expect(Array.from(decodePng(reading.binary.png).data)).toEqual(Array.from(pixels));
    expect(reading.binary.box).toEqual({ left: 19, top: 51, width: 23, height: 39 });

    const grey = join(dir, 'grey.dcm');
    const greyPixels = new Uint8Array(rows * columns).map((_, i) => i % 3);
    writeFileSync(grey, writeSyntheticDicom({ rows, columns, bitsAllocated: 8, pixels: greyPixels }));
    expect(await pool.readBinaryMask(grey)).toEqual({
      notBinary: 'holds more than two values (0, 1, 2, ...)',
    });

    const broken = join(dir, 'broken.dcm');
    writeFileSync(broken, 'not a DICOM file');
    await expect(pool.readBinaryMask(broken)).rejects.toSatisfy(
      (error) => error instanceof ImageDecodeError && error.message.startsWith('broken.dcm: '),
    );
  });
});
