import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fastPng from 'fast-png';
import type * as FastPng from 'fast-png';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { PredictionRepository } from '../../main/db/PredictionRepository.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { TrainingSetBuilder } from '../../main/training/TrainingSetBuilder.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

// The real fast-png, counted. Only this thread's module graph sees the spies: the decode worker
// loads fast-png itself, so a PNG decoded or encoded there is not counted.
vi.mock('fast-png', async (importOriginal) => {
  const real = await importOriginal<typeof FastPng>();
  return { ...real, decode: vi.fn(real.decode), encode: vi.fn(real.encode) };
});
const { decode, encode } = vi.mocked(fastPng);

describe("a save's pixel work runs in the decode worker", () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-a');
  });

  it('encodes the training sample and compares the map there, with the same bytes and Dice as in-thread', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-001')!;
    const image = (await backend.getStudy({ studyId: study.id })).images[0]!;
    const { rows, columns } = image;

    // The reader's mask: a 40 x 60 block. The model's map: 200 inside a 50 x 50 block that overlaps
    // it, 100 in a band that the 0.5 threshold (level 128) leaves out, 0 elsewhere.
    const mask = new Uint8Array(rows * columns);
    for (let r = 300; r < 340; r++) mask.fill(255, r * columns + 200, r * columns + 260);
    const map = new Uint8Array(rows * columns);
    for (let r = 310; r < 360; r++) map.fill(200, r * columns + 230, r * columns + 280);
    for (let r = 600; r < 610; r++) map.fill(100, r * columns, (r + 1) * columns);
    // By hand: the overlap is rows 310..339 x columns 230..259.
    const truePositives = 30 * 30;
    const falsePositives = 50 * 50 - truePositives;
    const falseNegatives = 40 * 60 - truePositives;
    const expectedDice = (2 * truePositives) / (2 * truePositives + falsePositives + falseNegatives);

    mkdirSync(join(backend.workspace.root, 'predictions'), { recursive: true });
    writeFileSync(
      join(backend.workspace.root, 'predictions', 'hand-made.png'),
      encode({ width: columns, height: rows, data: map, channels: 1, depth: 8 }),
    );
    new PredictionRepository(backend.workspace.db).save({
      imageId: image.id,
      modelId: 'tiny-a',
      backend: 'hand',
      createdAt: new Date().toISOString(),
      imageScore: 0.9,
      findingThreshold: 0.3,
      findings: [],
      mapPath: 'predictions/hand-made.png',
      rows,
      columns,
      spacingAssumed: false,
      timingsMs: { decode: 0, inference: 0, total: 0 },
      uncertainty: 0,
    });
    const maskPng = Buffer.from(encode({ width: columns, height: rows, data: mask, channels: 1, depth: 8 }));

    decode.mockClear();
    encode.mockClear();
    const saved = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng.toString('base64'),
      author: 'dr.a',
      modelId: 'tiny-a',
      threshold: 0.5,
      findings: { decisions: [], added: [] },
    });
    expect(decode).not.toHaveBeenCalled();
    expect(encode).not.toHaveBeenCalled();

    expect(saved.correctionDice).toBeCloseTo(expectedDice, 12);

    // The sample the worker wrote, read back as raw pixels: the scan in R, the mask in G, B black
    // (mini-MIAS is stored at the sample spacing, so nothing is resampled).
    const sample = (await backend.listTrainingSamples({ unlearnedOnly: true })).find(
      (s) => s.annotationId === saved.id,
    );
    const written = readFileSync(backend.workspace.resolvePath(sample!.path));
    const png = decode(written);
    expect([png.width, png.height, png.channels, png.depth]).toEqual([columns, rows, 3, 8]);
    const scan = (await decodeImageFile(backend.workspace.resolvePath(image.path))).display;
    let wrong = 0;
    for (let i = 0; i < rows * columns; i++) {
      if (png.data[i * 3] !== scan[i] || png.data[i * 3 + 1] !== mask[i] || png.data[i * 3 + 2] !== 0)
        wrong++;
    }
    expect(wrong).toBe(0);
    expect(sample!.positivePixels).toBe(40 * 60);

    // The same sample built in this thread (as the ground-truth build in its own worker does) is
    // the same file, byte for byte.
    const [inThread] = await new TrainingSetBuilder(backend.workspace).prepareFromMask(
      image,
      study.patientId,
      mask,
      { labelSource: 'annotation', annotationId: 99, annotationVersion: 9, author: 'dr.b' },
    );
    expect(encode).toHaveBeenCalled();
    expect(readFileSync(backend.workspace.resolvePath(inThread!.path)).equals(written)).toBe(true);
    expect(inThread!.sha256).toBe(sample!.sha256);
    await backend.close();
  });
});
