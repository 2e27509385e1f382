import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNREADABLE_PATH_REASON } from '../../main/studies/unreadablePath.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MAMMO_BIN, SHARED_DICOM, hasSharedData } from '../helpers/paths.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

const small = { rows: 32, columns: 24, bitsAllocated: 16, bitsStored: 12 } as const;

describe('DICOM import', () => {
  const tempDir = useTempDir();

  it('records identity, laterality, view, spacing, display attributes and the stored file', async () => {
    const source = tempDir();
    const studyUid = testUid();
    writeFileSync(
      join(source, 'rcc.dcm'),
      writeSyntheticDicom({
        ...small,
        patientId: 'P1',
        patientName: 'Doe^Jane',
        studyInstanceUid: studyUid,
        imageLaterality: 'R',
        laterality: 'L', // ImageLaterality wins over the series-level Laterality
        viewCode: { value: '399162004', scheme: 'SCT', meaning: 'cranio-caudal' },
        presentationIntent: 'FOR PRESENTATION',
        pixelSpacing: [0.07, 0.07],
        imagerPixelSpacing: [0.085, 0.085],
        photometric: 'MONOCHROME1',
        windowCenter: [2047, 1500],
        windowWidth: [4095, 1000],
        voiLutFunction: 'SIGMOID',
      }),
    );
    writeFileSync(
      join(source, 'lmlo.dcm'),
      writeSyntheticDicom({
        ...small,
        patientId: 'P1',
        studyInstanceUid: studyUid,
        laterality: 'L',
        viewPosition: 'MLO',
        imagerPixelSpacing: [0.1, 0.1],
        omit: ['WindowCenter', 'WindowWidth'],
      }),
    );
    const workspace = tempDir();
    const backend = MammoBackend.open(workspace);
    const result = await backend.importFiles({ paths: [source], format: 'dicom' });
    expect(result).toMatchObject({ imported: 2, skipped: 0, errors: [] });
    expect(result.studies).toHaveLength(1);
    expect(result.studies[0]).toMatchObject({
      patientId: 'P1',
      patientName: 'Doe^Jane',
      views: ['LMLO', 'RCC'],
      imageCount: 2,
    });

    const detail = await backend.getStudy({ studyId: result.studies[0]!.id });
    const rcc = detail.images.find((i) => i.view === 'CC')!;
    expect(rcc).toMatchObject({
      laterality: 'R',
      presentationIntent: 'FOR PRESENTATION',
      forDisplay: true,
      photometric: 'MONOCHROME1',
      bitsStored: 12,
      rows: 32,
      columns: 24,
      pixelSpacingMm: [0.07, 0.07],
      pixelSpacingSource: 'PixelSpacing',
      windowCenter: 2047,
      windowWidth: 4095,
      voiLutFunction: 'SIGMOID',
      format: 'dicom',
    });
    const stored = readFileSync(join(workspace, rcc.path));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(rcc.sha256);
    expect(stored.equals(readFileSync(join(source, 'rcc.dcm')))).toBe(true);
    const lmlo = detail.images.find((i) => i.view === 'MLO')!;
    expect(lmlo).toMatchObject({
      laterality: 'L',
      pixelSpacingMm: [0.1, 0.1],
      pixelSpacingSource: 'ImagerPixelSpacing',
      windowCenter: null,
    });
    await backend.close();
  });

  it('reports every bad file with its reason and imports the rest of the batch', async () => {
    const source = tempDir();
    const good = writeSyntheticDicom({ ...small, patientId: 'GOOD' });
    writeFileSync(join(source, 'a-good.dcm'), good);
    writeFileSync(join(source, 'b-truncated.dcm'), good.subarray(0, good.length - 300));
    writeFileSync(join(source, 'c-notes.txt'), 'radiology notes, not an image');
    writeFileSync(join(source, 'd-no-pixels.dcm'), writeSyntheticDicom({ ...small, omit: ['PixelData'] }));
    writeFileSync(
      join(source, 'e-ct.dcm'),
      writeSyntheticDicom({
        ...small,
        modality: 'CT',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
        bodyPartExamined: 'CHEST',
      }),
    );
    writeFileSync(
      join(source, 'f-mpeg2.dcm'),
      writeSyntheticDicom({
        ...small,
        transferSyntax: '1.2.840.10008.1.2.4.100',
        encapsulatedFrames: [new Uint8Array(64).fill(7)],
      }),
    );
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 140, 400); // meta header overwritten
    writeFileSync(join(source, 'g-corrupt.dcm'), corrupt);
    const forProcessing = writeSyntheticDicom({
      ...small,
      patientId: 'RAW',
      presentationIntent: 'FOR PROCESSING',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2.1',
    });
    writeFileSync(join(source, 'h-raw.dcm'), forProcessing);
    writeFileSync(
      join(source, 'i-no-preamble.dcm'),
      writeSyntheticDicom({ ...small, patientId: 'NOPRE', preamble: 'none' }),
    );
    writeFileSync(
      join(source, 'j-bare.dcm'),
      writeSyntheticDicom({
        ...small,
        patientId: 'BARE',
        preamble: 'no-meta',
        transferSyntax: 'implicit-le',
      }),
    );
    writeFileSync(
      join(source, 'k-dx-breast.dcm'),
      writeSyntheticDicom({
        ...small,
        patientId: 'DX',
        modality: 'DX',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
        bodyPartExamined: 'BREAST',
      }),
    );

    const backend = MammoBackend.open(tempDir());
    const result = await backend.importFiles({
      paths: [source, join(source, 'missing.dcm')],
      format: 'dicom',
    });
    const reasons = Object.fromEntries(result.errors.map((e) => [e.file.split('/').pop(), e.reason]));
    expect(reasons).toEqual({
      'missing.dcm': UNREADABLE_PATH_REASON,
      'b-truncated.dcm': expect.stringMatching(/truncated pixel data \(expected 1536 bytes, found \d+\)/),
      'c-notes.txt': expect.stringMatching(/not a DICOM file/),
      'd-no-pixels.dcm': 'no pixel data',
      'e-ct.dcm': 'modality CT (CHEST) is not breast imaging',
      'f-mpeg2.dcm': expect.stringMatching(/unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100/),
      'g-corrupt.dcm': expect.stringMatching(/DICOM/),
    });
    expect(result.imported).toBe(5);
    const patients = result.studies.map((s) => s.patientId).sort();
    expect(patients).toEqual(['BARE', 'DX', 'GOOD', 'NOPRE', 'RAW']);
    const raw = result.studies.find((s) => s.patientId === 'RAW')!;
    expect(raw.views).toEqual([]); // imported, but never displayed
    const rawImage = (await backend.getStudy({ studyId: raw.id })).images[0]!;
    expect(rawImage).toMatchObject({ presentationIntent: 'FOR PROCESSING', forDisplay: false });
    await backend.close();
  });

  it('skips an instance it already has, even under another file name', async () => {
    const source = tempDir();
    const bytes = writeSyntheticDicom({ ...small });
    writeFileSync(join(source, 'one.dcm'), bytes);
    const backend = MammoBackend.open(tempDir());
    expect(await backend.importFiles({ paths: [source], format: 'dicom' })).toMatchObject({
      imported: 1,
      skipped: 0,
    });
    writeFileSync(join(source, 'copy.dcm'), bytes);
    expect(await backend.importFiles({ paths: [source], format: 'dicom' })).toMatchObject({
      imported: 0,
      skipped: 2,
      errors: [],
    });
    const count = backend.workspace.db.prepare('SELECT count(*) AS n FROM images').get();
    expect(count).toEqual({ n: 1 });
    await backend.close();
  });

  it('leaves a consistent database when the import process is killed midway', async () => {
    const source = tempDir();
    for (let i = 0; i < 120; i++) {
      writeFileSync(
        join(source, `img${String(i).padStart(3, '0')}.dcm`),
        writeSyntheticDicom({
          rows: 256,
          columns: 256,
          bitsAllocated: 16,
          bitsStored: 12,
          patientId: `K${i % 10}`,
        }),
      );
    }
    const workspace = tempDir();
    mkdirSync(workspace, { recursive: true });
    const child = spawn(process.execPath, [MAMMO_BIN, '--workspace', workspace, 'import', source, '--json'], {
      stdio: 'ignore',
    });
    const dbFile = join(workspace, 'mammo.sqlite');
    // Wait until some images are in, then kill without warning.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          if (!existsSync(dbFile)) return;
          const db = new Database(dbFile, { readonly: true, fileMustExist: true });
          const { n } = db.prepare('SELECT count(*) AS n FROM images').get() as { n: number };
          db.close();
          if (n >= 10) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          // the schema may not exist yet
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the import finished before it could be killed'));
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));

    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT rel_path, sha256 FROM images').all() as {
      rel_path: string;
      sha256: string;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThan(120);
    for (const row of rows) {
      const bytes = readFileSync(join(workspace, row.rel_path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
    }
    const orphans = db
      .prepare(
        'SELECT count(*) AS n FROM images LEFT JOIN series ON series.id = images.series_pk WHERE series.id IS NULL',
      )
      .get();
    expect(orphans).toEqual({ n: 0 });
    const audited = db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'image.imported'")
      .get() as { n: number };
    expect(audited.n).toBe(rows.length);
    db.close();

    const backend = MammoBackend.open(workspace);
    const resumed = await backend.importFiles({ paths: [source], format: 'dicom' });
    expect(resumed.errors).toEqual([]);
    expect(resumed.skipped).toBe(rows.length);
    expect(resumed.imported).toBe(120 - rows.length);
    await backend.close();
  });

  it.skipIf(!hasSharedData)(
    'imports the two real compressed mammograms (RG with body part BREAST)',
    async () => {
      const backend = MammoBackend.open(tempDir());
      const result = await backend.importFiles({
        paths: [join(SHARED_DICOM, 'MG1_J2KI.dcm'), join(SHARED_DICOM, 'MG1_JPLY.dcm')],
        format: 'dicom',
      });
      expect(result).toMatchObject({ imported: 2, errors: [] });
      const images = (await backend.getStudy({ studyId: result.studies[0]!.id })).images;
      for (const image of images) {
        expect(image).toMatchObject({
          laterality: 'L',
          view: 'MLO',
          rows: 4664,
          columns: 3064,
          bitsStored: 12,
          pixelSpacingMm: null,
          pixelSpacingSource: null,
          windowCenter: 2047,
          windowWidth: 4095,
        });
      }
      expect(images.map((i) => i.transferSyntaxUid).sort()).toEqual([
        '1.2.840.10008.1.2.4.51',
        '1.2.840.10008.1.2.4.91',
      ]);
      await backend.close();
    },
  );
});
