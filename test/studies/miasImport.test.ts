import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_EVENTS } from '../../main/api/contract.js';
import type { ImportProgress } from '../../main/api/importing.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MiasImporter } from '../../main/studies/mias/MiasImporter.js';
import { MIAS_FIXTURE, SHARED_MIAS, hasSharedData } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('mini-MIAS import', () => {
  const tempDir = useTempDir();

  it('imports pairs as patients with MLO views, 0.2 mm pixels and ground-truth circles', async () => {
    const backend = MammoBackend.open(tempDir());
    const progress: ImportProgress[] = [];
    const unsubscribe = backend.subscribe(API_EVENTS.importProgress, (p) => progress.push(p));
    const result = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    unsubscribe();

    expect(result).toMatchObject({ imported: 6, skipped: 0, errors: [] });
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every((p) => p.total === 6)).toBe(true);
    expect(result.studies.map((s) => s.patientId).sort()).toEqual(['MIAS-001', 'MIAS-003', 'MIAS-108']);
    for (const study of result.studies) expect(study.views).toEqual(['LMLO', 'RMLO']);

    const mias003 = result.studies.find((s) => s.patientId === 'MIAS-003');
    const detail = await backend.getStudy({ studyId: mias003!.id });
    const right = detail.images.find((i) => i.laterality === 'R')!;
    expect(right).toMatchObject({
      view: 'MLO',
      rows: 1024,
      columns: 1024,
      pixelSpacingMm: [0.2, 0.2],
      format: 'png',
      forDisplay: true,
    });
    // mdb005 has two masses; y is counted from the bottom in MIAS, rows from the top here.
    const circles = detail.groundTruth.filter((g) => g.imageId === right.id).map((g) => g.circle);
    expect(circles).toEqual([
      { centerColumn: 477, centerRow: 1024 - 133, radius: 30 },
      { centerColumn: 500, centerRow: 1024 - 168, radius: 26 },
    ]);
    const left = detail.images.find((i) => i.laterality === 'L')!;
    expect(detail.groundTruth.filter((g) => g.imageId === left.id)).toEqual([]);

    const mias108 = await backend.getStudy({
      studyId: result.studies.find((s) => s.patientId === 'MIAS-108')!.id,
    });
    expect(mias108.groundTruth).toEqual([
      expect.objectContaining({ abnormalityClass: 'CALC', severity: 'M', circle: null }),
    ]);
    backend.close();
  });

  it('is idempotent and reports images missing from the case list', async () => {
    const source = tempDir();
    cpSync(MIAS_FIXTURE, source, { recursive: true });
    writeFileSync(join(source, 'images', 'mdb999.png'), 'not really a png');
    writeFileSync(join(source, 'images', 'notes.txt'), 'hello');
    const backend = MammoBackend.open(tempDir());
    const first = await backend.importFiles({ paths: [source], format: 'mias' });
    expect(first.imported).toBe(6);
    expect(first.errors).toEqual([
      {
        file: join(source, 'images', 'notes.txt'),
        reason: expect.stringMatching(/not a mini-MIAS image name/),
      },
      { file: join(source, 'images', 'mdb999.png'), reason: 'no record for mdb999 in the case list' },
    ]);
    const second = await backend.importFiles({ paths: [source], format: 'mias' });
    expect(second).toMatchObject({ imported: 0, skipped: 6 });
    expect(await backend.listStudies()).toHaveLength(3);
    backend.close();
  });

  it('reports a folder without a case list', async () => {
    const backend = MammoBackend.open(tempDir());
    const empty = tempDir();
    const result = await backend.importFiles({ paths: [empty], format: 'mias' });
    expect(result.errors).toEqual([{ file: empty, reason: 'no annotations.csv or Info.txt' }]);
    backend.close();
  });

  it.skipIf(!hasSharedData)('imports all 208 shared images as 104 patients', async () => {
    const backend = MammoBackend.open(tempDir());
    // The importer alone: building 208 images' training samples (as importFiles does) takes minutes.
    const result = await new MiasImporter(backend.workspace).importFolder(SHARED_MIAS);
    expect(result).toMatchObject({ imported: 208, errors: [] });
    expect(result.studies).toHaveLength(104);
    await backend.close();
  });
});
