import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discMask } from '../../main/annotations/discMask.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { AuditLog } from '../../main/db/AuditLog.js';
import { TrainingSampleRepository } from '../../main/db/TrainingSampleRepository.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { patientSplit } from '../../main/training/patientSplit.js';
import { decodeRgbSample } from '../../main/training/rgbSample.js';
import { MiasImporter } from '../../main/studies/mias/MiasImporter.js';
import { TrainingSetBuilder } from '../../main/training/TrainingSetBuilder.js';
import { TrainingSetService } from '../../main/training/TrainingSetService.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('TrainingSetBuilder', () => {
  const tempDir = useTempDir();

  it('a mini-MIAS import writes RGB samples (scan in R, disc masks in G, black B) with patient splits', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    const progress: string[] = [];
    backend.subscribe('mammo:training-set.progress', ({ done, total }) => progress.push(`${done}/${total}`));
    const imported = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    expect(progress).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    const samples = new TrainingSampleRepository(backend.workspace.db).list();
    // Whole scans of the five images whose ground truth is complete; mdb216 is left out (below).
    expect(samples.filter((s) => s.kind === 'full')).toHaveLength(5);
    expect(imported.trainingSet).toMatchObject({ added: samples.length, skipped: 0, errors: [] });
    for (const s of samples) {
      expect(s.split).toBe(patientSplit(s.patientId));
      expect(s).toMatchObject({ labelSource: 'ground-truth', author: 'mini-MIAS', learnedByModel: null });
    }
    const builder = new TrainingSetBuilder(backend.workspace);

    const mdb005 = (
      await backend.getStudy({
        studyId: (await backend.listStudies()).find((s) => s.patientId === 'MIAS-003')!.id,
      })
    ).images.find((i) => i.laterality === 'R')!;
    const full = samples.find((s) => s.imageId === mdb005.id && s.kind === 'full')!;
    const png = readFileSync(join(backend.workspace.root, full.path));
    const sample = decodeRgbSample(png);
    const scan = (await decodeImageFile(backend.workspace.resolvePath(mdb005.path))).display;
    expect(sample.rows).toBe(1024);
    expect(Buffer.from(sample.scan).equals(Buffer.from(scan))).toBe(true);
    const expectedMask = discMask(1024, 1024, [
      { centerColumn: 477, centerRow: 1024 - 133, radius: 30 },
      { centerColumn: 500, centerRow: 1024 - 168, radius: 26 },
    ]);
    expect(Buffer.from(sample.mask).equals(Buffer.from(expectedMask))).toBe(true);
    expect(full.positivePixels).toBe(expectedMask.filter((v) => v).length);

    expect(await builder.buildFromGroundTruth()).toMatchObject({ added: 0, skipped: 5 });
    await backend.close();
  });

  it('leaves out an abnormal image whose record has no lesion centre, and records why once', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    const imported = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    // mdb216 (MIAS-108, left): "CALC M" with no x, y or radius in the case list.
    const study = (await backend.listStudies()).find((s) => s.patientId === 'MIAS-108')!;
    const mdb216 = (await backend.getStudy({ studyId: study.id })).images.find((i) => i.laterality === 'L')!;
    expect(imported.trainingSet!.excluded).toEqual([
      {
        imageId: mdb216.id,
        image: 'MIAS-108 L MLO',
        reason: expect.stringMatching(/^abnormal \(CALC\) but its record gives no lesion centre/),
      },
    ]);
    const samples = new TrainingSampleRepository(backend.workspace.db).list();
    expect(samples.filter((s) => s.imageId === mdb216.id)).toEqual([]);
    // Its normal partner, mdb215, is still a sample.
    expect(samples.filter((s) => s.patientId === 'MIAS-108' && s.kind === 'full')).toHaveLength(1);

    await new TrainingSetBuilder(backend.workspace).buildFromGroundTruth();
    const audit = new AuditLog(backend.workspace.db)
      .list()
      .filter((e) => e.action === 'training.image-excluded');
    expect(audit).toEqual([
      expect.objectContaining({ subject: `image:${mdb216.id}`, details: { reason: expect.any(String) } }),
    ]);
    await backend.close();
  });

  it('builds in a worker that a cancelled build stops; the next build finishes the rest', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    const service = new TrainingSetService(backend.workspace);
    // Import the studies without building their samples, then build them through the service.
    await new MiasImporter(backend.workspace).importFolder(MIAS_FIXTURE);
    const controller = new AbortController();
    const progress: number[] = [];
    const cancelled = service.buildFromGroundTruth({
      signal: controller.signal,
      onProgress: ({ done }) => {
        progress.push(done);
        if (done === 2) controller.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual([1, 2]);
    const report = await service.buildFromGroundTruth();
    // The images done before the cancel are skipped (mdb216, the last, is left out, never skipped).
    expect(report.skipped).toBeGreaterThanOrEqual(2);
    const full = new TrainingSampleRepository(backend.workspace.db).list().filter((s) => s.kind === 'full');
    expect(full).toHaveLength(5);
    expect(new Set(full.map((s) => s.imageId)).size).toBe(5);
    await service.close();
    await backend.close();
  });

  it('adds a sample from a painted mask, labelled with its annotation and author', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = (await backend.listStudies())[0]!;
    const image = (await backend.getStudy({ studyId: study.id })).images[0]!;
    const mask = new Uint8Array(image.rows * image.columns);
    for (let r = 400; r < 440; r++) mask.fill(1, r * image.columns + 300, r * image.columns + 350);
    const added = await new TrainingSetBuilder(backend.workspace).addFromMask(image, study.patientId, mask, {
      labelSource: 'annotation',
      annotationId: 7,
      annotationVersion: 2,
      author: 'dr.who',
    });
    // One whole-scan sample: lesion-centred crops are taken from it at training time.
    expect(added).toBe(1);
    const [full, ...more] = new TrainingSampleRepository(backend.workspace.db)
      .list()
      .filter((s) => s.labelSource === 'annotation');
    expect(more).toEqual([]);
    expect(full).toMatchObject({
      labelSource: 'annotation',
      annotationId: 7,
      annotationVersion: 2,
      author: 'dr.who',
      positivePixels: 2000,
    });
    const decoded = decodeRgbSample(readFileSync(join(backend.workspace.root, full!.path)));
    expect(decoded.mask.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(2000);
    expect(decoded.mask[420 * image.columns + 320]).toBe(255);
    await backend.close();
  });
});
