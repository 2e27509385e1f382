import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { RequestRefusedError } from '../../main/api/errors.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
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

describe('the labels a fine-tune learns', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-base');
  });

  it('one label per image (the reader’s correction over the ground truth), learned-ness follows the lineage through promote, rollback and discard', async () => {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { backend: 'wasm' },
    });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-001')!;
    const image = (await backend.getStudy({ studyId: study.id })).images[0]!;
    const groundTruth = (await backend.listTrainingSamples({})).filter((s) => s.kind === 'full');
    const imported = groundTruth.find((s) => s.imageId === image.id)!;
    expect(imported).toMatchObject({
      labelSource: 'ground-truth',
      author: 'mini-MIAS',
      learnedByModel: null,
    });
    const before = await backend.planFineTune({});
    expect(before).toMatchObject({
      corrections: { images: 0, samples: 0 },
      groundTruth: { images: groundTruth.length },
      superseded: 0,
    });

    // A reader's correction of the same image: a square where the circle was.
    const square = (r: number, c: number) => r >= 300 && r < 340 && c >= 200 && c < 260;
    const saved = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: maskPng(image.rows, image.columns, square),
      author: 'dr.a',
      findings: { decisions: [], added: [] },
    });
    const correction = (await backend.listTrainingSamples({})).find((s) => s.annotationId === saved.id)!;
    expect(correction.labelSource).toBe('annotation');

    // The fine-tune learns the correction, not the circle: one label for that image.
    const unlearned = await backend.listTrainingSamples({ unlearnedOnly: true });
    expect(unlearned.map((s) => s.id).sort((a, b) => a - b)).toEqual(
      [...groundTruth.filter((s) => s.id !== imported.id).map((s) => s.id), correction.id].sort(
        (a, b) => a - b,
      ),
    );
    const plan = await backend.planFineTune({});
    expect(plan).toMatchObject({
      corrections: { images: 1, samples: 1 },
      groundTruth: { images: groundTruth.length - 1, samples: groundTruth.length - 1 },
      superseded: 1,
      refusal: null,
    });

    const job = await backend.fineTunes.waitFor((await backend.fineTunes.start({ steps: 1, size: 64 })).id);
    expect(job.status).toBe('succeeded');
    // What the fine-tune chose: every image's one label, the correction's stored sample among them.
    expect([...job.sampleIds].sort((a, b) => a - b)).toEqual(
      unlearned.map((s) => s.id).sort((a, b) => a - b),
    );
    expect(job.sampleIds).not.toContain(imported.id);
    const stored = decode(readFileSync(backend.workspace.resolvePath(correction.path)));
    let green = 0;
    for (let i = 0; i < stored.width * stored.height; i++) if (stored.data[i * stored.channels + 1]) green++;
    expect(green).toBe(40 * 60);
    // Which label won is recorded with the model.
    const candidate = backend.registry.get(job.candidateModel!)!;
    expect(candidate.card.trainingData['supersededGroundTruth']).toEqual([
      {
        imageId: image.id,
        annotationId: saved.id,
        annotationVersion: 1,
        author: 'dr.a',
        groundTruthAuthor: 'mini-MIAS',
        groundTruthSampleIds: [imported.id],
      },
    ]);
    // Not promoted: a person promotes. The current model has still learned nothing.
    expect(backend.registry.current()?.id).toBe('tiny-base');
    expect(await backend.listTrainingSamples({ unlearnedOnly: true })).toHaveLength(unlearned.length);

    await backend.promoteModel({ modelId: candidate.id });
    expect(await backend.listTrainingSamples({ unlearnedOnly: true })).toEqual([]);
    expect((await backend.planFineTune({})).refusal).toMatch(
      /^nothing to learn: the current model or its ancestors learned all/,
    );
    expect((await backend.listTrainingSamples({})).find((s) => s.id === correction.id)?.learnedByModel).toBe(
      candidate.id,
    );
    expect((await backend.listModels({})).rollback).toEqual({ to: 'tiny-base', from: candidate.id });

    // Rolled back: what only the candidate learned is to learn again.
    await backend.rollbackModel({});
    expect((await backend.listTrainingSamples({ unlearnedOnly: true })).map((s) => s.id)).toEqual(
      unlearned.map((s) => s.id),
    );
    expect((await backend.planFineTune({})).refusal).toBeNull();
    const models = await backend.listModels({});
    expect(models.rollback).toEqual({
      refusal: 'nothing to roll back to: tiny-base was not promoted over an earlier model',
    });
    expect(models.discardRefusals).toEqual({});
    await expect(backend.rollbackModel({})).rejects.toBeInstanceOf(RequestRefusedError);

    // The rolled-back candidate can be discarded.
    await expect(backend.discardModel({ modelId: candidate.id })).resolves.toEqual({
      modelId: candidate.id,
      samplesToRelearn: unlearned.length,
    });
    expect(backend.registry.get(candidate.id)).toBeNull();
    expect(await backend.listTrainingSamples({ unlearnedOnly: true })).toHaveLength(unlearned.length);
    await backend.close();
  });
});
