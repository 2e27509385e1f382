import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../main/api/models.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { loadModelMembers, loadSegmentationModel } from '../../main/inference/modelRunner.js';
import { tf } from '../../main/ml/backend/tf.js';
import { DEFAULT_MODEL_ID } from '../../main/training/defaultModelRecipe.js';
import { ModelLoadError, readModelCard } from '../../main/registry/modelFolder.js';
import { ModelRegistry } from '../../main/registry/ModelRegistry.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { editTopology, sha256OfFile } from '../helpers/modelFiles.js';
import { MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel, saveTinyMultiMemberModel, tinyNetwork } from '../helpers/tinyModel.js';

const SHIPPED_MODELS = join(REPO_ROOT, 'models');

/** The refusal: one line naming the folder and the file. */
const refusal = (folder: string): string =>
  `${folder}: model.json does not match the sha256 in its card (corrupt or replaced)`;

describe('every shipped card pins its files', () => {
  const shipped = readdirSync(SHIPPED_MODELS).filter((name) =>
    existsSync(join(SHIPPED_MODELS, name, 'card.json')),
  );

  it('ships at least one model', () => expect(shipped).toContain(DEFAULT_MODEL_ID));

  it.each(shipped)('%s: its card holds the sha256 of model.json and of its weights', (id) => {
    const folder = join(SHIPPED_MODELS, id);
    const card = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')) as ModelCard;
    // A card written by code older than the pin lacks it: add `"topologySha256": "<sha256sum model.json>"`.
    expect(card.topologySha256, `${id}/card.json: topologySha256`).toBe(
      sha256OfFile(join(folder, 'model.json')),
    );
    expect(card.weights.sha256).toBe(sha256OfFile(join(folder, card.weights.file)));
  });
});

describe('saving a model folder', () => {
  const tempDir = useTempDir();

  it("records model.json's sha256 on the card, for one network and for every member", async () => {
    const dir = tempDir();
    const single = await saveTinyModel(dir, 'one');
    expect(single.topologySha256).toBe(sha256OfFile(join(dir, 'one', 'model.json')));
    expect(readModelCard(join(dir, 'one'))).toEqual(single);

    const [a, b] = [tinyNetwork({ seed: 1 }), tinyNetwork({ seed: 2 })];
    const multi = await saveTinyMultiMemberModel(dir, 'two', [
      { name: 'mass', role: 'mass', inputPixelSpacingMm: 0.6, network: a },
      { name: 'calc', role: 'calcification', inputPixelSpacingMm: 0.2, network: b },
    ]);
    a.dispose();
    b.dispose();
    expect(multi.members!.map((m) => [m.topology, m.topologySha256])).toEqual([
      ['model.json', sha256OfFile(join(dir, 'two', 'model.json'))],
      ['calc.model.json', sha256OfFile(join(dir, 'two', 'calc.model.json'))],
    ]);
    expect(multi.topologySha256).toBe(multi.members![0]!.topologySha256);
  });
});

describe('the shipped model with its model.json edited, weights untouched', () => {
  const tempDir = useTempDir();
  /** The shipped model's folder copied into a fresh models folder: its real weights and topology. */
  const copyShipped = (): { shipped: string; folder: string } => {
    const shipped = tempDir();
    const folder = join(shipped, DEFAULT_MODEL_ID);
    cpSync(join(SHIPPED_MODELS, DEFAULT_MODEL_ID), folder, { recursive: true });
    return { shipped, folder };
  };
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('unedited, registers and loads', async () => {
    const { shipped, folder } = copyShipped();
    const workspace = Workspace.open(tempDir());
    const registry = new ModelRegistry(workspace, shipped);
    expect(registry.syncShipped()).toEqual({ registered: [DEFAULT_MODEL_ID], refreshed: [], problems: [] });
    const model = await loadSegmentationModel(folder, registry.get(DEFAULT_MODEL_ID)!.card);
    expect(model.outputs[0]!.shape).toEqual([null, null, null, 1]);
    model.dispose();
    workspace.close();
  });

  it('is refused at registration with one line naming the folder and model.json', () => {
    const { shipped, folder } = copyShipped();
    editTopology(folder);
    const workspace = Workspace.open(tempDir());
    const registry = new ModelRegistry(workspace, shipped);
    expect(registry.syncShipped()).toEqual({ registered: [], refreshed: [], problems: [refusal(folder)] });
    expect(registry.list()).toEqual([]);
    workspace.close();
  });

  it('is refused at load with the same line (the loaders of inference and of a fine-tune parent)', async () => {
    const { folder } = copyShipped();
    const card = readModelCard(folder);
    editTopology(folder);
    for (const load of [() => loadSegmentationModel(folder, card), () => loadModelMembers(folder, card)]) {
      const error = await load().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as Error).message).toBe(refusal(folder));
    }
  });

  it("an existing workspace's registered card (the same, written before the pin) takes the shipped pin at start-up", () => {
    const { shipped, folder } = copyShipped();
    const pinned = readFileSync(join(folder, 'card.json'));
    const older = readModelCard(folder);
    delete older.topologySha256;
    writeFileSync(join(folder, 'card.json'), JSON.stringify(older));
    const workspace = Workspace.open(tempDir());
    const registry = new ModelRegistry(workspace, shipped);
    expect(registry.syncShipped().registered).toEqual([DEFAULT_MODEL_ID]);
    writeFileSync(join(folder, 'card.json'), pinned);
    expect(registry.syncShipped()).toEqual({ registered: [], refreshed: [DEFAULT_MODEL_ID], problems: [] });
    expect(registry.get(DEFAULT_MODEL_ID)?.card.topologySha256).toBe(
      sha256OfFile(join(folder, 'model.json')),
    );
    workspace.close();
  });

  it('a card written before the pin (none) registers and loads on its weights alone', async () => {
    const { shipped, folder } = copyShipped();
    const older = readModelCard(folder);
    delete older.topologySha256;
    writeFileSync(join(folder, 'card.json'), JSON.stringify(older));
    const workspace = Workspace.open(tempDir());
    const registry = new ModelRegistry(workspace, shipped);
    expect(registry.syncShipped().registered).toEqual([DEFAULT_MODEL_ID]);
    const model = await loadSegmentationModel(folder, registry.get(DEFAULT_MODEL_ID)!.card);
    model.dispose();
    // Its weights are still checked.
    writeFileSync(join(folder, 'weights.bin'), Buffer.alloc(16));
    await expect(loadSegmentationModel(folder, registry.get(DEFAULT_MODEL_ID)!.card)).rejects.toThrow(
      `${folder}: weights.bin does not match the sha256 in its card (corrupt or replaced)`,
    );
    workspace.close();
  });
});

describe('a registered model whose model.json is edited afterwards', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-pinned');
  });
  afterAll(() => rmSync(shipped, { recursive: true, force: true }));

  it('the inference worker refuses to analyse with it, and analyses again once the file is restored', async () => {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    const folder = join(shipped, 'tiny-pinned');
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const image = (await backend.getStudy({ studyId: studies[0]!.id })).images[0]!;
    const original = editTopology(folder);
    try {
      await expect(backend.analyzeImage({ imageId: image.id })).rejects.toThrow(refusal(folder));
    } finally {
      writeFileSync(join(folder, 'model.json'), original);
    }
    await expect(backend.analyzeImage({ imageId: image.id })).resolves.toMatchObject({
      modelId: 'tiny-pinned',
    });
    await backend.close();
  });

  it('a fine-tune from it fails with the same line and registers nothing; restored, its candidate is pinned', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const folder = join(shipped, 'tiny-pinned');
    const original = editTopology(folder);
    try {
      const queued = await backend.fineTunes.start({ steps: 2, size: 64 });
      const job = await backend.fineTunes.waitFor(queued.id);
      expect(job).toMatchObject({ status: 'failed', error: refusal(folder), candidateModel: null });
    } finally {
      writeFileSync(join(folder, 'model.json'), original);
    }
    expect(backend.registry.list().map((v) => v.id)).toEqual(['tiny-pinned']);
    // Restored, it is a parent again, and its candidate's card pins the model.json written for it.
    const job = await backend.fineTunes.waitFor((await backend.fineTunes.start({ steps: 2, size: 64 })).id);
    expect(job.status).toBe('succeeded');
    const candidate = backend.registry.get(job.candidateModel!)!;
    expect(candidate.card.topologySha256).toBe(
      sha256OfFile(join(backend.registry.folderOf(candidate), 'model.json')),
    );
    await backend.close();
  });
});
