import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import type { CardWithoutWeights } from '../../main/registry/modelFolder.js';
import {
  ModelLoadError,
  modelFolderLoader,
  readModelCard,
  saveModelFolder,
} from '../../main/registry/modelFolder.js';
import { ModelRegistry } from '../../main/registry/ModelRegistry.js';
import { toFloat16Bits } from '../../main/registry/float16.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { useTempDir } from '../helpers/tempDir.js';

function tinyModel(seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [null, null, 1] as unknown as number[],
      filters: 3,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(
    tf.layers.conv2d({
      filters: 1,
      kernelSize: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  return model;
}

function card(
  id: string,
  createdAt = '2026-11-25T00:00:00.000Z',
  parentId: string | null = null,
): CardWithoutWeights {
  return {
    id,
    parentId,
    createdAt,
    architecture: 'test-net',
    widthMultiplier: 1,
    inputPixelSpacingMm: 0.3,
    normalisation: { offset: 127, scale: 255 },
    trainingData: { description: 'none', images: 0, patients: 0 },
    validation: null,
    thresholds: { image: 0.5, finding: 0.5 },
  };
}

describe('model folders', () => {
  const tempDir = useTempDir();
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('round-trips a model with identical predictions, and float16 within half precision', async () => {
    const model = tinyModel(1);
    const input = tf.randomUniform([1, 8, 8, 1], 0, 1, 'float32', 3);
    const expected = (model.predict(input) as tf.Tensor).dataSync();
    for (const dtype of ['float32', 'float16'] as const) {
      const folder = join(tempDir(), 'm1');
      const saved = await saveModelFolder(model, folder, card('m1'), dtype);
      expect(saved.weights.dtype).toBe(dtype);
      expect(readModelCard(folder)).toEqual(saved);
      const loaded = await tf.loadLayersModel(modelFolderLoader(folder, saved));
      const actual = (loaded.predict(input) as tf.Tensor).dataSync();
      const maxError = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
      expect(maxError).toBeLessThan(dtype === 'float32' ? 1e-6 : 5e-3);
      expect(maxError).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses weights that do not match the card, and cards that do not validate', async () => {
    const folder = join(tempDir(), 'm2');
    const saved = await saveModelFolder(tinyModel(2), folder, card('m2'));
    appendFileSync(join(folder, 'weights.bin'), Buffer.from([1, 2, 3]));
    await expect(tf.loadLayersModel(modelFolderLoader(folder, saved))).rejects.toThrow(
      /does not match the sha256/,
    );
    writeFileSync(
      join(folder, 'card.json'),
      JSON.stringify({ ...saved, thresholds: { image: 2, finding: 0.5 } }),
    );
    expect(() => readModelCard(folder)).toThrow(ModelLoadError);
    expect(() => readModelCard(folder)).toThrow(/thresholds.image/);
  });

  it('encodes float16 with round-to-nearest-even', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(5.960464477539063e-8)).toBe(0x0001);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
  });
});

describe('ModelRegistry', () => {
  const tempDir = useTempDir();

  it('makes the newest shipped model current, then promotes and rolls back with an audit trail', async () => {
    const shipped = tempDir();
    await saveModelFolder(tinyModel(1), join(shipped, 'base-a'), card('base-a', '2026-01-01T00:00:00.000Z'));
    await saveModelFolder(tinyModel(2), join(shipped, 'base-b'), card('base-b', '2026-02-01T00:00:00.000Z'));
    mkdirSync(join(shipped, 'broken'));
    writeFileSync(join(shipped, 'broken', 'card.json'), '{');
    const workspace = Workspace.open(tempDir());
    const registry = new ModelRegistry(workspace, shipped);

    const sync = registry.syncShipped();
    expect(sync.registered).toEqual(['base-a', 'base-b']);
    expect(sync.problems).toEqual([expect.stringMatching(/broken: cannot read card.json/)]);
    expect(registry.current()?.id).toBe('base-b');
    expect(registry.syncShipped().registered).toEqual([]);

    const candidateCard = await saveModelFolder(
      tinyModel(3),
      join(registry.workspaceModelsDir, 'ft-1'),
      card('ft-1', '2026-03-01T00:00:00.000Z', 'base-b'),
    );
    registry.addCandidate(candidateCard);
    expect(registry.get('ft-1')).toMatchObject({ status: 'candidate', origin: 'workspace' });
    expect(registry.folderOf(registry.get('ft-1')!)).toBe(join(workspace.root, 'models', 'ft-1'));

    registry.promote('ft-1');
    expect(registry.current()?.id).toBe('ft-1');
    expect(registry.get('base-b')?.status).toBe('retired');
    expect(registry.rollback().id).toBe('base-b');
    expect(registry.get('ft-1')?.status).toBe('candidate');
    expect(() => registry.rollback()).toThrow(/nothing to roll back/);
    expect(registry.list().filter((v) => v.status === 'current')).toHaveLength(1);

    const actions = workspace.db.prepare('SELECT action, subject FROM audit_log ORDER BY id').all();
    expect(actions).toEqual([
      { action: 'model.initial', subject: 'base-b' },
      { action: 'model.candidate', subject: 'ft-1' },
      { action: 'model.promote', subject: 'ft-1' },
      { action: 'model.rollback', subject: 'base-b' },
    ]);
    expect(() => workspace.db.prepare("UPDATE model_versions SET status = 'current'").run()).toThrow(
      /UNIQUE/,
    );
    workspace.close();
  });
  it('an app update that stops shipping the current model retires it and makes the new shipped model current', async () => {
    const shipped = tempDir();
    await saveModelFolder(tinyModel(1), join(shipped, 'old'), card('old', '2026-01-01T00:00:00.000Z'));
    const workspace = Workspace.open(tempDir());
    expect(new ModelRegistry(workspace, shipped).syncShipped().registered).toEqual(['old']);
    // The update: the old folder is gone, a new one ships.
    rmSync(join(shipped, 'old'), { recursive: true });
    await saveModelFolder(tinyModel(2), join(shipped, 'new'), card('new', '2026-02-01T00:00:00.000Z'));
    const registry = new ModelRegistry(workspace, shipped);
    expect(registry.syncShipped().registered).toEqual(['new']);
    expect(registry.current()?.id).toBe('new');
    expect(registry.get('old')?.status).toBe('retired');
    // Nothing to roll back to: the old weights are gone.
    expect(() => registry.rollback()).toThrow(/nothing to roll back/);
    const actions = workspace.db.prepare('SELECT action, subject FROM audit_log ORDER BY id').all();
    expect(actions).toEqual([
      { action: 'model.initial', subject: 'old' },
      { action: 'model.unshipped', subject: 'old' },
      { action: 'model.initial', subject: 'new' },
    ]);
    workspace.close();
  });
});
