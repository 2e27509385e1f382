import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../main/common/WorkerPool.js';
import { tf } from '../../main/ml/backend/tf.js';
import { segmentationLoss } from '../../main/ml/loss.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { findCheckpoint } from '../../main/training/checkpoint.js';
import {
  backgroundTrainingReplicas,
  defaultTrainingThreads,
  ReplicaGroup,
} from '../../main/training/ReplicaGroup.js';
import type { Examples } from '../../main/training/replicaStep.js';
import { parseTrainingConfig } from '../../main/training/trainingConfig.js';
import type {
  TrainingJobSpec,
  TrainingProgress,
  TrainingResult,
} from '../../main/training/trainingProtocol.js';
import { trainModel } from '../../main/training/trainModel.js';
import { syntheticTrainingCard, syntheticTrainingSample } from '../helpers/syntheticTrainingSample.js';
import { useTempDir } from '../helpers/tempDir.js';
import { randomValues, relativeError, useWasm } from '../ml/mlTestUtil.js';

const SIZE = 64;
const AREA = SIZE * SIZE;
const SETTINGS = { positiveWeight: 10, softIouWeight: 0 };

/**
 * Four examples; example b has a lesion square of side 8 + 8b px, so the shares of a batch carry
 * different amounts of lesion and their loss denominators differ (a plain mean of the shares'
 * gradients would be wrong).
 */
function batchOfFour(seed: number): Examples {
  const images = randomValues(4 * AREA, seed).map((v) => v / 2);
  const labels = new Float32Array(4 * AREA);
  for (let b = 0; b < 4; b++) {
    const side = 8 + 8 * b;
    for (let r = 10; r < 10 + side; r++)
      labels.fill(1, b * AREA + r * SIZE + 12, b * AREA + r * SIZE + 12 + side);
  }
  return { images, labels, count: 4 };
}

/** Examples `members` of a batch, as their own batch (the test's own slicing, not the product's). */
function pick(
  batch: Examples,
  members: number[],
): { images: tf.Tensor4D; labels: tf.Tensor4D; count: number } {
  const images = new Float32Array(members.length * AREA);
  const labels = new Float32Array(members.length * AREA);
  members.forEach((b, i) => {
    images.set(batch.images.subarray(b * AREA, (b + 1) * AREA), i * AREA);
    labels.set(batch.labels.subarray(b * AREA, (b + 1) * AREA), i * AREA);
  });
  const shape: [number, number, number, number] = [members.length, SIZE, SIZE, 1];
  return {
    images: tf.tensor4d(images, shape),
    labels: tf.avgPool(tf.tensor4d(labels, shape), 2, 2, 'valid'),
    count: members.length,
  };
}

/** The training objective on some examples: weighted cross-entropy at S/2 plus the layers' L2 terms. */
function objective(model: tf.LayersModel, part: ReturnType<typeof pick>): () => tf.Scalar {
  return () => {
    const data = segmentationLoss(
      part.labels,
      model.apply(part.images, { training: true }) as tf.Tensor,
      SETTINGS,
    );
    const l2 = model.calculateLosses();
    return (l2.length ? tf.add(data, tf.addN(l2)) : data) as tf.Scalar;
  };
}

/** sum over pixels of the cross-entropy's weights 1 + (w - 1) y, computed here in plain JS. */
function weightSum(part: ReturnType<typeof pick>): number {
  return Array.from(part.labels.dataSync()).reduce(
    (sum, y) => sum + 1 + (SETTINGS.positiveWeight - 1) * y,
    0,
  );
}

function trainableValues(model: tf.LayersModel): Float32Array {
  const parts = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A small conv net without batch norm, with an L2 term, whose logits come out at S/2 like the product's. */
function modelWithoutBatchNorm(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [null, null, 1] as unknown as number[],
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 7 }),
        kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
      }),
      tf.layers.conv2d({
        filters: 1,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }),
      }),
    ],
  });
}

describe('data-parallel training (real tfjs wasm)', () => {
  const tempDir = useTempDir();
  beforeAll(useWasm);

  it('one step with 2 replicas equals the weighted average of the two halves\u2019 gradients applied with Adam, and both replicas hold the same weights', async () => {
    const model = createDensePredictionModel({ widthMultiplier: 0.125, seed: 4 });
    const optimizer = tf.train.adam(1e-3);
    const group = await ReplicaGroup.start(model, optimizer, { replicas: 2, threads: 2 });
    const batch = batchOfFour(11);
    try {
      await group.step(batch, SETTINGS, SIZE, 1e-3);
      const [first, second] = await group.replicaWeights();
      expect(second).toEqual(first);
    } finally {
      await group.close();
    }

    // Reference in this thread: the batch's loss is sum(w ce) / sum(w), so it is the halves'
    // losses averaged with their weight sums W_k, and so is its gradient. The halves are examples
    // {0, 2} and {1, 3} (the product interleaves), each through batch norm alone.
    const halves = [pick(batch, [0, 2]), pick(batch, [1, 3])];
    const weights = halves.map(weightSum);
    expect(Math.abs(weights[0]! - weights[1]!) / weights[1]!).toBeGreaterThan(0.1);
    const referenceStep = (shareWeights: number[]) => {
      const reference = createDensePredictionModel({ widthMultiplier: 0.125, seed: 4 });
      const referenceOptimizer: tf.Optimizer = tf.train.adam(1e-3);
      const variables = reference.trainableWeights.map((w) => w.read() as tf.Variable);
      const grads = halves.map((half) => tf.variableGrads(objective(reference, half), variables).grads);
      const total = shareWeights[0]! + shareWeights[1]!;
      const averaged: tf.NamedTensorMap = {};
      for (const v of variables)
        averaged[v.name] = tf.add(
          tf.mul(grads[0]![v.name]!, shareWeights[0]! / total),
          tf.mul(grads[1]![v.name]!, shareWeights[1]! / total),
        );
      referenceOptimizer.applyGradients(averaged);
      return trainableValues(reference);
    };

    const before = trainableValues(createDensePredictionModel({ widthMultiplier: 0.125, seed: 4 }));
    const expected = referenceStep(weights);
    const actual = trainableValues(model);
    // The step moved the weights (by about the learning rate), and moved them as the reference did.
    expect(relativeError(expected, before)).toBeGreaterThan(1e-4);
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    // A plain mean of the halves' gradients, as averaging by example count would give, is told apart.
    expect(relativeError(actual, referenceStep([1, 1]))).toBeGreaterThan(1e-4);
  });

  it('without batch norm, 2 replicas give the plain full-batch step (3 steps)', async () => {
    const model = modelWithoutBatchNorm();
    const reference = modelWithoutBatchNorm();
    reference.setWeights(model.getWeights());
    const optimizer = tf.train.adam(1e-2);
    const referenceOptimizer = tf.train.adam(1e-2);
    const group = await ReplicaGroup.start(model, optimizer, { replicas: 2, threads: 2 });
    try {
      for (let step = 0; step < 3; step++) {
        const batch = batchOfFour(20 + step);
        const loss = await group.step(batch, SETTINGS, SIZE, 1e-2);
        const whole = pick(batch, [0, 1, 2, 3]);
        const referenceLoss = referenceOptimizer.minimize(objective(reference, whole), true)!.dataSync()[0]!;
        expect(loss).toBeCloseTo(referenceLoss, 5);
      }
      const [first, second] = await group.replicaWeights();
      expect(second).toEqual(first);
    } finally {
      await group.close();
    }
    expect(relativeError(trainableValues(model), trainableValues(reference))).toBeLessThan(1e-5);
  });

  it('the shares, not the threads, define the result: 2 shares in 1 thread or 2 give the same weights', async () => {
    const run = async (threads: number) => {
      const model = createDensePredictionModel({ widthMultiplier: 0.125, seed: 6 });
      const group = await ReplicaGroup.start(model, tf.train.adam(1e-3), { replicas: 2, threads });
      try {
        for (let step = 0; step < 3; step++) await group.step(batchOfFour(30 + step), SETTINGS, SIZE, 1e-3);
        await group.checkReplicasAgree();
        return (await group.replicaWeights())[0]!;
      } finally {
        await group.close();
      }
    };
    const oneThread = await run(1);
    const twoThreads = await run(2);
    // Bit for bit, batch-norm moving statistics included (averaged over the shares every step).
    expect(twoThreads).toEqual(oneThread);
  });

  it('uses one thread per share up to the cores, and keeps a core free for a background fine-tune below 4 cores', () => {
    expect([
      defaultTrainingThreads(2, 1),
      defaultTrainingThreads(2, 2),
      defaultTrainingThreads(2, 16),
    ]).toEqual([1, 2, 2]);
    expect(defaultTrainingThreads(1, 16)).toBe(1);
    expect([1, 2, 3, 4, 16].map((cores) => backgroundTrainingReplicas(cores))).toEqual([1, 1, 1, 2, 2]);
  });

  it(
    'a 2-replica run killed in its worker and resumed ends with the weights of an uninterrupted run',
    { timeout: 120_000 },
    async () => {
      const dir = tempDir();
      const samples = [
        syntheticTrainingSample(1, { row: 40, column: 50 }),
        syntheticTrainingSample(2, { row: 90, column: 30 }),
        syntheticTrainingSample(3, null),
      ].map((png, i) => {
        const path = join(dir, `sample${i}.png`);
        writeFileSync(path, png);
        return path;
      });
      const spec = (name: string): TrainingJobSpec => ({
        config: parseTrainingConfig({
          seed: 5,
          widthMultiplier: 0.125,
          batchSize: 4,
          replicas: 2,
          modelSpacingMm: 0.4,
          stages: [{ size: SIZE, steps: 6 }],
          checkpointEvery: 2,
          validateEvery: 1000,
        }),
        trainSamples: samples,
        validationSamples: [],
        sampleSpacingMm: 0.2,
        initialModel: null,
        checkpointDir: join(dir, name, 'checkpoints'),
        outputFolder: join(dir, name, 'model'),
        threads: 2,
        card: syntheticTrainingCard(name, 3, 3),
      });
      const uninterrupted = await trainModel(spec('whole'));

      // The product's cancellation: the trainer worker (and the replica worker it started) is terminated.
      const pool = new WorkerPool<TrainingJobSpec, TrainingResult, TrainingProgress>(
        new URL(
          `../../main/training/trainerWorker${extname(fileURLToPath(import.meta.url))}`,
          import.meta.url,
        ),
        1,
        'trainer',
      );
      const controller = new AbortController();
      const steps: number[] = [];
      const killed = pool.run(spec('killed'), {
        signal: controller.signal,
        onProgress: (p) => {
          steps.push(p.step);
          if (p.step === 3) controller.abort();
        },
      });
      await expect(killed).rejects.toThrow(/abort/i);
      await pool.close();
      expect(steps).toEqual([1, 2, 3]);
      expect(existsSync(join(dir, 'killed', 'model'))).toBe(false);
      // Step 2's checkpoint, or step 4's if the worker got there before it was terminated.
      const kept = findCheckpoint(join(dir, 'killed', 'checkpoints'));
      expect([2, 4]).toContain(JSON.parse(readFileSync(join(kept!, 'state.json'), 'utf8')).step);

      const resumed = await trainModel(spec('killed'));
      expect(resumed.steps).toBe(6);
      expect(resumed.lossHistory.map((h) => h.step)).toEqual([1, 2, 3, 4, 5, 6]);
      const weights = (name: string) => {
        const bytes = readFileSync(join(dir, name, 'model', 'weights.bin'));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      };
      // Bit for bit: the batches depend only on (seed, step), and Adam is restored exactly.
      expect(weights('killed')).toEqual(weights('whole'));
      expect(resumed.finalLoss).toBe(uninterrupted.finalLoss);
    },
  );
});
