import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { TrainingSampleRepository } from '../../main/db/TrainingSampleRepository.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { decodeRgbSample } from '../../main/training/rgbSample.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

function maskPng(rows: number, columns: number, paint: (r: number, c: number) => boolean): string {
  const data = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) if (paint(r, c)) data[r * columns + c] = 255;
  return Buffer.from(encode({ width: columns, height: rows, data, channels: 1, depth: 8 })).toString(
    'base64',
  );
}

const noFindings = { decisions: [], added: [] };

describe('annotations', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-a');
  });

  async function openWithImage() {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-001')!;
    const image = (await backend.getStudy({ studyId: study.id })).images[0]!;
    return { backend, study, image };
  }

  it('saves a version with its mask and correction Dice; its training sample follows the save', async () => {
    const { backend, image } = await openWithImage();
    const prediction = await backend.analyzeImage({ imageId: image.id });
    const square = (r: number, c: number) => r >= 300 && r < 340 && c >= 200 && c < 260;
    const saved = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, square),
      author: 'dr.a',
      modelId: prediction.modelId,
      threshold: 0.5,
      findings: { decisions: [], added: [{ type: 'mass', centroidRow: 320, centroidColumn: 230 }] },
    });
    expect(saved).toMatchObject({
      version: 1,
      parentId: null,
      author: 'dr.a',
      modelId: 'tiny-a',
      positivePixels: 2400,
    });
    expect(saved.correctionDice).toBeGreaterThanOrEqual(0);
    expect(saved.correctionDice).toBeLessThanOrEqual(1);

    const stored = decode(readFileSync(backend.workspace.resolvePath(saved.maskPath)));
    expect(Array.from(stored.data).filter((v) => v > 0).length).toBe(2400);

    // The RGB sample, built after the save answered (listing waits for it): scan in R, exactly the
    // painted mask in G, black B.
    const samples = await backend.listTrainingSamples({ unlearnedOnly: true });
    const full = samples.find((s) => s.kind === 'full' && s.labelSource === 'annotation')!;
    expect(full).toMatchObject({
      annotationId: saved.id,
      annotationVersion: 1,
      author: 'dr.a',
      labelSource: 'annotation',
    });
    const png = decode(readFileSync(backend.workspace.resolvePath(full.path)));
    expect(png.channels).toBe(3);
    const scan = (await decodeImageFile(backend.workspace.resolvePath(image.path))).display;
    let wrong = 0;
    let painted = 0;
    for (let i = 0; i < image.rows * image.columns; i++) {
      const inside = square(Math.floor(i / image.columns), i % image.columns);
      if (
        png.data[i * 3 + 1] !== (inside ? 255 : 0) ||
        png.data[i * 3] !== scan[i] ||
        png.data[i * 3 + 2] !== 0
      )
        wrong++;
      if (png.data[i * 3 + 1]) painted++;
    }
    expect(wrong).toBe(0);
    expect(painted).toBe(2400);
    expect(decodeRgbSample(readFileSync(backend.workspace.resolvePath(full.path))).rows).toBe(image.rows);
    const audit = backend.workspace.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'annotation.saved'")
      .all();
    expect(audit).toEqual([{ actor: 'dr.a' }]);
    await backend.close();
  });

  it('keeps earlier versions, restores one as a new version, and refuses a mask of the wrong size', async () => {
    const { backend, image } = await openWithImage();
    const first = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, (r) => r < 10),
      author: 'a',
      findings: noFindings,
    });
    const second = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, (r) => r < 20),
      author: 'b',
      findings: noFindings,
    });
    expect(second).toMatchObject({ version: 2, parentId: first.id });
    const restored = await backend.restoreAnnotation({ annotationId: first.id, author: 'c' });
    expect(restored).toMatchObject({ version: 3, parentId: first.id, positivePixels: first.positivePixels });
    expect((await backend.listAnnotations({ imageId: image.id })).map((a) => a.version)).toEqual([3, 2, 1]);
    expect((await backend.getAnnotationMask({ annotationId: first.id })).maskPng).toBe(
      (await backend.getAnnotationMask({ annotationId: restored.id })).maskPng,
    );
    await expect(
      backend.saveAnnotation({
        imageId: image.id,
        maskPng: maskPng(10, 10, () => true),
        author: 'a',
        findings: noFindings,
      }),
    ).rejects.toThrow(/10x10 does not match the image \(1024x1024\)/);
    expect(await backend.listAnnotations({ imageId: image.id })).toHaveLength(3);
    await backend.close();
  });

  it('only the newest version of an image is a label: earlier versions are neither counted nor trained on', async () => {
    const { backend, image } = await openWithImage();
    const annotationSamples = (): { annotationVersion: number | null; positivePixels: number }[] =>
      new TrainingSampleRepository(backend.workspace.db)
        .list()
        .filter((s) => s.labelSource === 'annotation' && s.imageId === image.id);
    await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, (r, c) => r < 10 && c < 10),
      author: 'a',
      findings: noFindings,
    });
    await backend.correctionSamples.settled();
    expect(annotationSamples().map((s) => s.annotationVersion)).toEqual([1]);
    await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, (r, c) => r < 20 && c < 10),
      author: 'b',
      findings: noFindings,
    });
    await backend.correctionSamples.settled();
    expect(annotationSamples()).toMatchObject([{ annotationVersion: 2, positivePixels: 200 }]);
    await backend.close();
  });

  it("autosaves a reader's draft that survives a restart and is cleared by that reader's save", async () => {
    const { backend, image } = await openWithImage();
    const workspace = backend.workspace.root;
    await backend.saveDraft({
      imageId: image.id,
      reader: 'a',
      baseVersion: 0,
      maskPng: maskPng(image.rows, image.columns, (r, c) => r === c),
      findings: noFindings,
      modelId: null,
      threshold: 0.4,
    });
    await backend.close();
    const reopened = MammoBackend.open(workspace, { shippedModelsDir: shipped });
    const draft = await reopened.getDraft({ imageId: image.id, reader: 'a' });
    expect(draft).toMatchObject({ imageId: image.id, reader: 'a', baseVersion: 0, threshold: 0.4 });
    expect(await reopened.getDraft({ imageId: image.id, reader: 'b' })).toBeNull();
    await reopened.saveAnnotation({
      imageId: image.id,
      maskPng: draft!.maskPng,
      author: 'a',
      findings: noFindings,
    });
    expect(await reopened.getDraft({ imageId: image.id, reader: 'a' })).toBeNull();
    await reopened.close();
  });

  it('picks the unreviewed case the model is least sure of, or a random one', async () => {
    const { backend, image, study } = await openWithImage();
    for (const s of await backend.listStudies({})) await backend.analyzeStudy({ studyId: s.id });
    const uncertainties = backend.workspace.db
      .prepare('SELECT image_pk, uncertainty FROM predictions')
      .all() as { image_pk: number; uncertainty: number }[];
    expect(uncertainties.every((u) => u.uncertainty > 0)).toBe(true);
    const most = uncertainties.sort((a, b) => b.uncertainty - a.uncertainty)[0]!;
    const next = await backend.nextCase({ strategy: 'uncertainty' });
    expect(next).toMatchObject({ imageId: most.image_pk, strategy: 'uncertainty' });
    // A reviewed study is never offered again.
    await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, () => false),
      author: 'a',
      findings: noFindings,
    });
    for (let i = 0; i < 5; i++)
      expect((await backend.nextCase({ strategy: 'random' }))?.studyId).not.toBe(study.id);
    await backend.close();
  });
});
