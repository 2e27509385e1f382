import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import { makeSegmentationLoss } from '../../main/ml/loss.js';
import { DilatedConv2D } from '../../main/ml/model/DilatedConv2D.js';
import { convFlops } from '../../main/ml/model/flops.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { randomTensor, useWasm } from './mlTestUtil.js';

describe('the dense-prediction model on wasm', () => {
  beforeAll(useWasm);

  it('counts conv FLOPs without running the model', () => {
    // Hand count: conv 3x3 1->4 at 16x16 (stride 2 -> 8x8), transposed 4x4 stride 2 4->2 from 8x8,
    // dilated 3x3 2->3 at 16x16.
    const input = tf.input({ shape: [null, null, 1] });
    const a = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })
      .apply(input) as tf.SymbolicTensor;
    const b = tf.layers
      .conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' })
      .apply(a) as tf.SymbolicTensor;
    const c = new DilatedConv2D({ filters: 3, kernelSize: 3, rate: 2 }).apply(b) as tf.SymbolicTensor;
    const tiny = tf.model({ inputs: input, outputs: c });
    const counted = convFlops(tiny, [2, 16, 16, 1]);
    expect(counted.macs).toBe(2 * (8 * 8 * 9 * 1 * 4 + 8 * 8 * 16 * 4 * 2 + 16 * 16 * 9 * 2 * 3));
    expect(counted.flops).toBe(2 * counted.macs);
    expect(counted.layers.map((l) => l.outputShape)).toEqual([
      [2, 8, 8, 4],
      [2, 16, 16, 2],
      [2, 16, 16, 3],
    ]);
    const model = createDensePredictionModel({ widthMultiplier: 0.25 });
    expect(convFlops(model, [1, 640, 640, 1]).flops).toBe(4 * convFlops(model, [1, 320, 320, 1]).flops);
    model.dispose();
  });

  it('trains on wasm: the loss falls and every weight moves, without leaking tensors', async () => {
    const model = createDensePredictionModel({ widthMultiplier: 0.125, seed: 11 });
    model.compile({ optimizer: tf.train.adam(3e-3), loss: makeSegmentationLoss({ positiveWeight: 5 }) });
    // Two 64x64 scans whose label is a bright disc.
    const [x, y] = tf.tidy(() => {
      const [rows, cols] = tf.meshgrid(tf.range(0, 64), tf.range(0, 64)) as unknown as [
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      const disc = (cy: number, cx: number) =>
        tf.cast(tf.less(tf.add(tf.square(tf.sub(rows, cy)), tf.square(tf.sub(cols, cx))), 100), 'float32');
      const labels = tf.stack([disc(20, 30), disc(44, 40)]).expandDims(-1);
      const noise = randomTensor([2, 64, 64, 1], 9).mul(0.1);
      // The logits come out at S/2: compare there.
      return [
        tf.add(tf.mul(labels, 0.5), noise),
        tf.image.resizeNearestNeighbor(labels as tf.Tensor4D, [32, 32]),
      ];
    });
    const initial = model.trainableWeights.map((w) => w.read().dataSync().slice());
    const losses: number[] = [];
    losses.push((await model.trainOnBatch(x, y)) as number);
    const tensors = tf.memory().numTensors; // the optimizer's slots exist from the first step on
    for (let i = 0; i < 5; i++) losses.push((await model.trainOnBatch(x, y)) as number);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const unchanged = model.trainableWeights.filter((w, i) => {
      const now = w.read().dataSync();
      return now.every((v, j) => v === initial[i]![j]);
    });
    expect(unchanged.map((w) => w.name)).toEqual([]);
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
  });
});
