import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discMask } from '../../main/annotations/discMask.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { TrainingSampleRepository } from '../../main/db/TrainingSampleRepository.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { patientSplit } from '../../main/training/patientSplit.js';
import { decodeRgbSample } from '../../main/training/rgbSample.js';
import { TrainingSetBuilder } from '../../main/training/TrainingSetBuilder.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('TrainingSetBuilder', () => {
  const tempDir = useTempDir();

  it('writes RGB samples (scan in R, disc masks in G, black B) with ROI crops and patient splits', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const builder = new TrainingSetBuilder(backend.workspace);
    const report = await builder.buildFromGroundTruth();
    // 6 whole scans + one crop per circle (mdb001, mdb002, two in mdb005).
    expect(report).toEqual({ added: 10, skipped: 0, errors: [] });
    const samples = new TrainingSampleRepository(backend.workspace.db).list();
    expect(samples.filter((s) => s.kind === 'roi-crop')).toHaveLength(4);
    for (const s of samples) expect(s.split).toBe(patientSplit(s.patientId));

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

    expect(await builder.buildFromGroundTruth()).toMatchObject({ added: 0, skipped: 6 });
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
    expect(added).toBe(2);
    const [full, crop] = new TrainingSampleRepository(backend.workspace.db).list();
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
    expect(crop!.kind).toBe('roi-crop');
    await backend.close();
  });
});
