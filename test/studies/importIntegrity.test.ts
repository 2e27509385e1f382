import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { StudyImporter, type PixelDecoder } from '../../main/studies/StudyImporter.js';
import { encodeJpegLossless } from '../helpers/encoders.js';
import { gradientPixels, testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

const small = { rows: 32, columns: 24, bitsAllocated: 16, bitsStored: 12 } as const;
const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';

function jpegLosslessFile(extra: Parameters<typeof writeSyntheticDicom>[0] = {}) {
  const values = gradientPixels(small.rows, small.columns, 12);
  const frame = encodeJpegLossless({ width: small.columns, height: small.rows, bitsPerSample: 12, values });
  return {
    frame,
    file: writeSyntheticDicom({
      ...small,
      ...extra,
      transferSyntax: JPEG_LOSSLESS_SV1,
      encapsulatedFrames: [frame],
    }),
  };
}

describe('import integrity', () => {
  const tempDir = useTempDir();

  it('refuses headers that cannot be right and pixels that do not decode, naming the file and the reason', async () => {
    const source = tempDir();
    const files: Record<string, Uint8Array> = {
      'bits-allocated-0.dcm': writeSyntheticDicom({ ...small, extra: { BitsAllocated: 0 } }),
      'rgb.dcm': writeSyntheticDicom({ ...small, photometric: 'RGB' }),
      'bits-stored-over.dcm': writeSyntheticDicom({ ...small, extra: { BitsStored: 17 } }),
      'spacing-1000.dcm': writeSyntheticDicom({ ...small, pixelSpacing: [1000, 1000] }),
      'huge.dcm': writeSyntheticDicom({ ...small, extra: { Rows: 30000, Columns: 30000 } }),
    };
    const { frame } = jpegLosslessFile();
    // Cut inside its header: this codec fills in a stream cut later on, so only a decode can tell.
    files['jpeg-cut.dcm'] = writeSyntheticDicom({
      ...small,
      transferSyntax: JPEG_LOSSLESS_SV1,
      encapsulatedFrames: [frame.subarray(0, 20)],
    });
    files['false-dimensions.dcm'] = jpegLosslessFile({ extra: { Rows: 64 } }).file;
    files['good.dcm'] = jpegLosslessFile({ patientId: 'GOOD' }).file;
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(source, name), bytes);

    const backend = MammoBackend.open(tempDir());
    const result = await backend.importFiles({ paths: [source], format: 'dicom' });
    const reasons = Object.fromEntries(result.errors.map((e) => [e.file.split('/').pop(), e.reason]));
    expect(reasons).toEqual({
      'bits-allocated-0.dcm': 'BitsAllocated 0 is not supported (8 or 16)',
      'rgb.dcm': expect.stringMatching(/colour images are not supported \(PhotometricInterpretation RGB/),
      'bits-stored-over.dcm': expect.stringMatching(
        /inconsistent bit depths \(BitsAllocated 16, BitsStored 17/,
      ),
      'spacing-1000.dcm': "PixelSpacing 1000\\1000 mm cannot be a mammogram's (expected 0.01 to 1 mm)",
      'huge.dcm': expect.stringMatching(/^30000 x 30000 pixels is larger than any mammography detector/),
      'jpeg-cut.dcm': expect.stringMatching(/JPEG Lossless/),
      'false-dimensions.dcm': expect.stringMatching(/header says 24x64/),
    });
    // The errors name the user's file, never the content store's copy.
    for (const error of result.errors) expect(error.file.startsWith(source)).toBe(true);
    expect(result.imported).toBe(1);
    await backend.close();
  });

  it('a good file replaces a broken earlier copy of the same instance', async () => {
    const source = tempDir();
    const sopInstanceUid = testUid();
    const studyInstanceUid = testUid();
    const seriesInstanceUid = testUid();
    const ids = { sopInstanceUid, studyInstanceUid, seriesInstanceUid, patientId: 'P1' };
    writeFileSync(join(source, 'good.dcm'), jpegLosslessFile(ids).file);
    const backend = MammoBackend.open(tempDir());
    await backend.importFiles({ paths: [join(source, 'good.dcm')], format: 'dicom' });
    const study = (await backend.listStudies({}))[0]!;
    const before = (await backend.getStudy({ studyId: study.id })).images[0]!;
    // A copy that got in broken before import checked pixels: its stored file no longer decodes.
    writeFileSync(backend.workspace.resolvePath(before.path), 'not an image any more');

    // The same instance from another source (different bytes: another description).
    writeFileSync(join(source, 'again.dcm'), jpegLosslessFile({ ...ids, studyDescription: 'resent' }).file);
    const result = await backend.importFiles({ paths: [join(source, 'again.dcm')], format: 'dicom' });
    expect(result).toMatchObject({ imported: 1, skipped: 0, errors: [] });
    const after = (await backend.getStudy({ studyId: study.id })).images[0]!;
    expect(after.id).toBe(before.id);
    expect(after.sha256).not.toBe(before.sha256);
    const decoded = await decodeImageFile(backend.workspace.resolvePath(after.path));
    expect(Array.from(decoded.stored)).toEqual(Array.from(gradientPixels(small.rows, small.columns, 12)));

    // Once intact, a further copy is a duplicate again.
    writeFileSync(join(source, 'third.dcm'), jpegLosslessFile({ ...ids, studyDescription: 'third' }).file);
    expect(await backend.importFiles({ paths: [join(source, 'third.dcm')], format: 'dicom' })).toMatchObject({
      imported: 0,
      skipped: 1,
    });
    await backend.close();
  });

  it('decodes the bytes it keeps: a file swapped after it was read is judged as it was read', async () => {
    const source = tempDir();
    const userFile = join(source, 'swapped.dcm');
    const { frame, file: good } = jpegLosslessFile();
    // A stream cut inside its header: only a decode can tell (see the first test).
    writeFileSync(
      userFile,
      writeSyntheticDicom({
        ...small,
        transferSyntax: JPEG_LOSSLESS_SV1,
        encapsulatedFrames: [frame.subarray(0, 20)],
      }),
    );
    const backend = MammoBackend.open(tempDir());
    const pool = new DecodePool({ size: 1 });
    // The user's file becomes a good one after the importer read it, before the worker decodes:
    // a worker reading the user's file again would pass it and the broken bytes would be stored.
    const decoder: PixelDecoder = {
      check: (path, signal) => {
        writeFileSync(userFile, good);
        return pool.check(path, signal);
      },
    };
    try {
      const importer = new StudyImporter(backend.workspace, decoder);
      await expect(importer.importFile(userFile)).rejects.toThrow(/JPEG Lossless/);
      expect(await backend.listStudies({})).toEqual([]);
      // Nothing of the refused bytes stays in the content store.
      const store = join(backend.workspace.root, 'store');
      const stored = readdirSync(store, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(stored.map((e) => e.name)).toEqual([]);

      // The good file, imported now, is kept and decodes.
      expect((await importer.importFile(userFile)).outcome).toBe('imported');
      expect(
        readdirSync(store, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()),
      ).toHaveLength(1);
    } finally {
      await pool.close();
      await backend.close();
    }
  });
});
