import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';
import { segmentationLoss } from '../../main/ml/loss.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { findCheckpoint, loadCheckpoint, saveCheckpoint } from '../../main/training/checkpoint.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('training checkpoints', () => {
  const tempDir = useTempDir();
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm', logger: { warn: () => undefined } });
  });

  it('restore weights and optimizer slots exactly, so the next update is the same bit for bit', async () => {
    const x = tf.randomUniform([2, 64, 64, 1], -0.5, 0.5, 'float32', 1);
    const y = tf.cast(tf.greater(tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 2), 0.9), 'float32');
    const loss = (m: tf.LayersModel) => () =>
      segmentationLoss(y, tf.image.resizeBilinear(m.apply(x, { training: true }) as tf.Tensor4D, [64, 64]), {
        positiveWeight: 15,
      });
    const original = createDensePredictionModel({ widthMultiplier: 0.125, seed: 5 });
    const optimizer = tf.train.adam(1e-3);
    // 5 steps: tfjs's own Adam.setWeights would restore 0.999^6 one bit off the running product.
    for (let i = 0; i < 5; i++) optimizer.minimize(loss(original));
    const dir = tempDir();
    await saveCheckpoint(dir, original, optimizer, {
      step: 5,
      randomState: 0,
      lossHistory: [],
      bestValidation: null,
    });

    // A different seed and, in this process, different layer names: restoring must not depend on either.
    const resumed = createDensePredictionModel({ widthMultiplier: 0.125, seed: 9 });
    const resumedOptimizer = tf.train.adam(1e-3);
    const state = await loadCheckpoint(findCheckpoint(dir)!, resumed, resumedOptimizer);
    expect(state.step).toBe(5);
    const next = optimizer.minimize(loss(original), true)!.dataSync()[0];
    const nextResumed = resumedOptimizer.minimize(loss(resumed), true)!.dataSync()[0];
    expect(nextResumed).toBe(next);
    const after = tf.tidy(() => (loss(original)() as tf.Scalar).dataSync()[0]);
    const afterResumed = tf.tidy(() => (loss(resumed)() as tf.Scalar).dataSync()[0]);
    expect(afterResumed).toBe(after);
    expect(resumed.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      original.getWeights().map((w) => Array.from(w.dataSync())),
    );
  });

  it('keeps the previous checkpoint readable until the new one is complete', async () => {
    const dir = tempDir();
    const model = createDensePredictionModel({ widthMultiplier: 0.125 });
    const optimizer = tf.train.adam(1e-3);
    await saveCheckpoint(dir, model, optimizer, {
      step: 1,
      randomState: 0,
      lossHistory: [],
      bestValidation: null,
    });
    await saveCheckpoint(dir, model, optimizer, {
      step: 2,
      randomState: 0,
      lossHistory: [],
      bestValidation: null,
    });
    expect(findCheckpoint(dir)).toBe(join(dir, 'latest'));
    expect(findCheckpoint(join(dir, 'missing'))).toBeNull();
  });
});
