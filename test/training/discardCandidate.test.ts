import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RequestRefusedError } from '../../main/api/errors.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

describe('discarding a candidate model', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-shipped');
  });

  it('deletes a workspace candidate and its folder; what it learned was never learned by the current model', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const registry = backend.registry;
    const unlearned = (await backend.listTrainingSamples({ unlearnedOnly: true })).map((sample) => sample.id);
    expect(unlearned.length).toBeGreaterThan(0);
    // A candidate as a fine-tune leaves it: a model folder, its record, and the samples it trained on.
    const card = await saveTinyModel(registry.workspaceModelsDir, 'ft-unwanted', { seed: 7 });
    registry.addCandidate({
      ...card,
      parentId: 'tiny-shipped',
      trainingData: { ...card.trainingData, sampleIds: unlearned },
    });
    // A candidate is not the current model's lineage: its samples are still to learn.
    expect((await backend.listTrainingSamples({ unlearnedOnly: true })).map((s) => s.id)).toEqual(unlearned);
    const folder = registry.folderOf({ id: 'ft-unwanted', origin: 'workspace' });
    expect(existsSync(join(folder, 'model.json'))).toBe(true);

    await expect(backend.discardModel({ modelId: 'ft-unwanted' })).resolves.toEqual({
      modelId: 'ft-unwanted',
      samplesToRelearn: unlearned.length,
    });
    expect(registry.get('ft-unwanted')).toBeNull();
    expect(existsSync(folder)).toBe(false);
    expect((await backend.listTrainingSamples({ unlearnedOnly: true })).map((s) => s.id)).toEqual(unlearned);
    expect(registry.current()?.id).toBe('tiny-shipped');
    await backend.close();
  });

  it("removes the candidate's cached predictions, their map files and folder, and no other model's", async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const registry = backend.registry;
    const card = await saveTinyModel(registry.workspaceModelsDir, 'ft-analysed', { seed: 5 });
    registry.addCandidate({ ...card, parentId: 'tiny-shipped' });
    // Real analyses of one study by both models: rows in the database and map PNGs on disk.
    const studyId = studies.find((study) => study.patientId === 'MIAS-001')!.id;
    await backend.analyzeStudy({ studyId, modelId: 'ft-analysed' });
    await backend.analyzeStudy({ studyId, modelId: 'tiny-shipped' });
    const root = backend.workspace.root;
    const mapsOf = (modelId: string) =>
      (
        backend.workspace.db.prepare('SELECT map_path FROM predictions WHERE model_id = ?').all(modelId) as {
          map_path: string;
        }[]
      ).map((row) => join(root, row.map_path));
    const candidateMaps = mapsOf('ft-analysed');
    const shippedMaps = mapsOf('tiny-shipped');
    expect(candidateMaps).toHaveLength(2);
    expect(shippedMaps).toHaveLength(2);
    for (const file of [...candidateMaps, ...shippedMaps]) expect(existsSync(file), file).toBe(true);
    const candidateFolder = dirname(candidateMaps[0]!);
    expect(readdirSync(candidateFolder).sort()).toEqual(candidateMaps.map((file) => basename(file)).sort());

    await backend.discardModel({ modelId: 'ft-analysed' });
    expect(mapsOf('ft-analysed')).toEqual([]);
    for (const file of candidateMaps) expect(existsSync(file), file).toBe(false);
    expect(existsSync(candidateFolder)).toBe(false);
    // The shipped model's analyses stay, files and all, and the worklist still shows its score.
    expect(mapsOf('tiny-shipped')).toEqual(shippedMaps);
    for (const file of shippedMaps) expect(existsSync(file), file).toBe(true);
    const row = (await backend.listStudies()).find((study) => study.id === studyId)!;
    expect(row.aiScore).not.toBeNull();
    await backend.close();
  });

  it('refuses the current model, a shipped one, a parent of another and an unknown id; a rolled-back candidate goes', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    const registry = backend.registry;
    for (const [id, parentId] of [
      ['ft-a', 'tiny-shipped'],
      ['ft-b', 'tiny-shipped'],
      ['ft-c', 'ft-b'],
    ] as const) {
      const card = await saveTinyModel(registry.workspaceModelsDir, id);
      registry.addCandidate({ ...card, parentId });
    }
    registry.promote('ft-a');
    registry.rollback(); // ft-a is a candidate again

    const refusal = (modelId: string) => backend.discardModel({ modelId }).catch((error: unknown) => error);
    const cases: [string, RegExp][] = [
      ['tiny-shipped', /is the current model/],
      ['ft-b', /^ft-b is the parent of ft-c and stays in its lineage$/],
      ['nope', /not found/],
    ];
    for (const [modelId, message] of cases) {
      const error = await refusal(modelId);
      expect(error, modelId).toBeInstanceOf(RequestRefusedError);
      expect((error as Error).message).toMatch(message);
    }
    // The learning page is told beforehand, so it does not offer what would be refused.
    expect((await backend.listModels({})).discardRefusals).toEqual({
      'ft-b': 'ft-b is the parent of ft-c and stays in its lineage',
    });
    // The rolled-back candidate goes, with its promotion and rollback; the promotion history stays valid.
    await expect(backend.discardModel({ modelId: 'ft-a' })).resolves.toMatchObject({ modelId: 'ft-a' });
    expect(registry.rollbackTarget()).toEqual({
      refusal: 'nothing to roll back to: tiny-shipped was not promoted over an earlier model',
    });
    registry.promote('ft-c');
    expect(((await refusal('tiny-shipped')) as Error).message).toMatch(/ships with the app/);
    expect(registry.rollbackTarget()).toEqual({ to: 'tiny-shipped', from: 'ft-c' });
    expect(
      registry
        .list()
        .map((version) => version.id)
        .sort(),
    ).toEqual(['ft-b', 'ft-c', 'tiny-shipped']);
    await backend.close();
  });
});
