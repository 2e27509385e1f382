import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import { SHARED_DICOM, hasSharedData } from '../helpers/paths.js';
import { encodeJpegLossless } from '../helpers/encoders.js';
import { gradientPixels, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

/** Every typed array or ArrayBuffer anywhere in a value (what a worker's answer would carry pixels in). */
function buffersIn(value: unknown): unknown[] {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(buffersIn);
}

describe('DecodePool.check', () => {
  const tempDir = useTempDir();

  it('answers the written size and format, and no pixel buffer, where decode answers pixels', async () => {
    const file = join(tempDir(), 'film.dcm');
    // Not square, so rows and columns cannot be swapped unnoticed.
    writeFileSync(file, writeSyntheticDicom({ rows: 300, columns: 200, bitsAllocated: 16, bitsStored: 12 }));
    const pool = new DecodePool({ size: 1 });
    try {
      const checked = await pool.check(file);
      expect(checked).toStrictEqual({ format: 'dicom', rows: 300, columns: 200 });
      expect(buffersIn(checked)).toEqual([]);
      // The full decode of the same file does carry them: the check's answer is not empty by accident.
      expect(buffersIn(await pool.decode(file)).length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('refuses what decode refuses, with the same one-line reason', async () => {
    const values = gradientPixels(32, 24, 12);
    const frame = encodeJpegLossless({ width: 24, height: 32, bitsPerSample: 12, values });
    const folder = tempDir();
    const files = {
      // A stream cut inside its header: only a decode can tell.
      'jpeg-cut.dcm': writeSyntheticDicom({
        rows: 32,
        columns: 24,
        bitsAllocated: 16,
        bitsStored: 12,
        transferSyntax: '1.2.840.10008.1.2.4.70',
        encapsulatedFrames: [frame.subarray(0, 20)],
      }),
      'notes.txt': Buffer.from('not an image'),
    };
    const pool = new DecodePool({ size: 1 });
    try {
      for (const [name, bytes] of Object.entries(files)) {
        const file = join(folder, name);
        writeFileSync(file, bytes);
        const checked = await pool.check(file).catch((error: unknown) => error);
        const decoded = await pool.decode(file).catch((error: unknown) => error);
        expect(checked, name).toBeInstanceOf(ImageDecodeError);
        expect((checked as ImageDecodeError).reason).toBe((decoded as ImageDecodeError).reason);
        expect((checked as Error).message).not.toContain('\n');
      }
    } finally {
      await pool.close();
    }
  });

  it.runIf(hasSharedData)(
    'checks the two real compressed films at their recorded size, without pixels',
    async () => {
      const pool = new DecodePool({ size: 1 });
      try {
        for (const name of ['MG1_J2KI.dcm', 'MG1_JPLY.dcm']) {
          // 4664 rows x 3064 columns, as ../shared/data/dicom-wg04/SOURCE.md records.
          const checked = await pool.check(join(SHARED_DICOM, name));
          expect(checked).toStrictEqual({ format: 'dicom', rows: 4664, columns: 3064 });
        }
      } finally {
        await pool.close();
      }
    },
  );
});
