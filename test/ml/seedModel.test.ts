import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import { makeSegmentationLoss } from '../../main/ml/loss.js';
import { DilatedConv2D } from '../../main/ml/model/DilatedConv2D.js';
import { convFlops } from '../../main/ml/model/flops.js';
import { buildSeedModel, countTrainableParams, paddedSize } from '../../main/ml/model/seedModel.js';
import { loadModelFromArtifacts, saveModelArtifacts } from '../../main/ml/model/serialization.js';
import { randomTensor, useWasm } from './mlTestUtil.js';

const WEIGHT_LAYERS = new Set(['Conv2D', 'Conv2DTranspose', DilatedConv2D.className]);

describe('seed model 3.9.4.01 (buildSeedModel)', () => {
  beforeAll(useWasm);

  it('has the published size: 28 weight layers, 11,502,625 trainable parameters at width 1', () => {
    const model = buildSeedModel({ width: 1 });
    expect(model.layers.filter((l) => WEIGHT_LAYERS.has(l.getClassName()))).toHaveLength(28);
    expect(countTrainableParams(model)).toBe(11_502_625);
    expect(model.countParams()).toBe(11_511_425); // + BN moving means and variances
    model.dispose();
    const half = buildSeedModel({ width: 0.5 });
    expect(countTrainableParams(half)).toBe(2_879_057);
    half.dispose();
  });

  it('feeds every dilated conv of block 5 into the next (the published code skipped the first)', () => {
    const model = buildSeedModel({ width: 0.125 });
    const chain = [
      'block5_c2_conv',
      'block5_c2_bn',
      'block5_c2_relu',
      'block5_c3_conv',
      'block5_c3_bn',
      'block5_c3_relu',
      'block5_c4_conv',
    ];
    for (let i = 1; i < chain.length; i++) {
      const layer = model.getLayer(chain[i]!);
      expect(layer.inboundNodes[0]!.inboundLayers.map((l) => l.name)).toEqual([chain[i - 1]]);
    }
    expect(chain.filter((name) => model.getLayer(name) instanceof DilatedConv2D)).toHaveLength(3);
    model.dispose();
  });

  it('outputs one logit channel at S/2 for multiples of 32, and at S with fullResolution', () => {
    const half = buildSeedModel({ width: 0.125, fullResolution: false });
    const full = buildSeedModel({ width: 0.125 });
    const shape = (m: tf.LayersModel, h: number, w: number) =>
      tf.tidy(() => (m.predict(tf.zeros([1, h, w, 1])) as tf.Tensor).shape);
    for (const [h, w] of [
      [64, 64],
      [96, 96],
      [160, 96],
    ] as const) {
      expect(shape(half, h, w)).toEqual([1, h / 2, w / 2, 1]);
      expect(shape(full, h, w)).toEqual([1, h, w, 1]);
    }
    // Other sizes run: the half-resolution map is 2*ceil(S/4) and the full one is S.
    expect(shape(half, 200, 201)).toEqual([1, 100, 102, 1]);
    expect(shape(full, 200, 201)).toEqual([1, 200, 201, 1]);
    expect([paddedSize(200), paddedSize(64), paddedSize(1)]).toEqual([224, 64, 32]);
    tf.dispose([half, full].map((m) => m.dispose()) as never);
  });

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
    const model = buildSeedModel({ width: 0.25 });
    expect(convFlops(model, [1, 640, 640, 1]).flops).toBe(4 * convFlops(model, [1, 320, 320, 1]).flops);
    model.dispose();
  });

  it('round-trips through in-memory artifacts with identical predictions', async () => {
    for (const fullResolution of [false, true]) {
      const model = buildSeedModel({ width: 0.125, fullResolution, seed: 5 });
      const input = randomTensor([1, 64, 64, 1], 3);
      const before = (model.predict(input) as tf.Tensor).dataSync();
      const artifacts = await saveModelArtifacts(model);
      const loaded = await loadModelFromArtifacts(artifacts);
      const after = (loaded.predict(input) as tf.Tensor).dataSync();
      expect(Array.from(after)).toEqual(Array.from(before));
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      model.dispose();
      loaded.dispose();
    }
  });

  it('trains on wasm: the loss falls and every weight moves, without leaking tensors', async () => {
    const model = buildSeedModel({ width: 0.125, seed: 11 });
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
      return [tf.add(tf.mul(labels, 0.5), noise), labels];
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
