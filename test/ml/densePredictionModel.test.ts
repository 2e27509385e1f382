import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { segmentationLoss } from '../../main/ml/loss.js';
import { DilatedConv2D } from '../../main/ml/model/DilatedConv2D.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { convFlops } from '../../main/ml/model/flops.js';
import { modelFolderLoader, saveModelFolder } from '../../main/registry/modelFolder.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('dense-prediction model 3.9.4.01', () => {
  const tempDir = useTempDir();
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm', logger: { warn: () => undefined } });
  });

  it('has the published size at full width and outputs one logit channel at S/2 for any multiple of 32', () => {
    const full = createDensePredictionModel({ widthMultiplier: 1 });
    expect(full.countParams()).toBe(11_511_425); // the report: about 11.5M
    expect(full.outputs[0]!.shape).toEqual([null, null, null, 1]);
    full.dispose();
    const narrow = createDensePredictionModel({ widthMultiplier: 0.125 });
    for (const [h, w] of [
      [64, 64],
      [96, 160],
      [224, 128],
    ] as const) {
      const out = tf.tidy(() => (narrow.predict(tf.zeros([1, h, w, 1])) as tf.Tensor).shape);
      expect(out).toEqual([1, h / 2, w / 2, 1]);
    }
    expect(convFlops(narrow, [1, 64, 64, 1]).flops).toBeGreaterThan(0);
    expect(convFlops(narrow, [1, 128, 128, 1]).flops).toBe(4 * convFlops(narrow, [1, 64, 64, 1]).flops);
    narrow.dispose();
  });

  it('uses every dilated convolution of block 5 (the published code skipped the first)', () => {
    const model = createDensePredictionModel({ widthMultiplier: 0.125 });
    const dilated = model.layers.filter((l) => l instanceof DilatedConv2D);
    expect(dilated).toHaveLength(3);
    // Each dilated conv feeds (through its batch norm) the next: none is a dead end.
    for (const layer of dilated) {
      const consumers = model.layers.filter((l) =>
        l.inboundNodes.some((n) => n.inboundLayers.includes(layer)),
      );
      expect(consumers.length).toBeGreaterThan(0);
    }
    model.dispose();
  });

  it('computes a dilated conv equal to tf.conv2d with dilation 2, and trains through it', () => {
    const layer = new DilatedConv2D({ filters: 3, kernelSize: 3, rate: 2, seed: 4 });
    const x = tf.randomNormal([2, 11, 9, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
    const y = layer.apply(x) as tf.Tensor;
    const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const expected = tf.add(tf.conv2d(x, kernel, 1, 'same', 'NHWC', 2), bias);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-4);
    const grads = tf.grads((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))([x]);
    expect(grads[0]!.shape).toEqual(x.shape);
  });

  it('reloads from a model folder with identical predictions (custom layer registered)', async () => {
    const model = createDensePredictionModel({ widthMultiplier: 0.125, seed: 3 });
    const input = tf.randomUniform([1, 64, 64, 1], -0.5, 0.5, 'float32', 2);
    const before = (model.predict(input) as tf.Tensor).dataSync();
    const folder = join(tempDir(), 'm');
    const card = await saveModelFolder(model, folder, {
      id: 'm',
      parentId: null,
      createdAt: '2026-01-01T00:00:00Z',
      architecture: 'scuccimarra-3.9.4.01',
      widthMultiplier: 0.125,
      inputPixelSpacingMm: 0.3,
      normalisation: { offset: 127, scale: 255 },
      trainingData: { description: 'test', images: 0, patients: 0 },
      validation: null,
      thresholds: { image: 0.5, finding: 0.5 },
    });
    const loaded = await tf.loadLayersModel(modelFolderLoader(folder, card));
    const after = (loaded.predict(input) as tf.Tensor).dataSync();
    expect(Math.max(...after.map((v, i) => Math.abs(v - before[i]!)))).toBeLessThan(1e-5);
  });
  it('a ReLU head caps the logit at its bias where every head feature is off; a linear head does not (E19)', () => {
    const spread = (headActivation: 'relu' | 'linear') => {
      const model = createDensePredictionModel({ widthMultiplier: 0.125, seed: 3, headActivation });
      // Drive the head's batch norm far negative, as a collapsed head is: beta -100 on every channel.
      const layers = model.layers.filter((layer) => layer.getClassName() === 'BatchNormalization');
      const head = layers[layers.length - 1]!;
      const [gamma, beta, mean, variance] = head.getWeights();
      head.setWeights([gamma!, tf.fill(beta!.shape, -100), mean!, variance!]);
      const logits = tf.tidy(() => {
        const input = tf.randomUniform([1, 64, 64, 1], -0.5, 0.5, 'float32', 7);
        return (model.predict(input) as tf.Tensor).dataSync();
      });
      const bias = (model.getLayer('logits').getWeights()[1]!.dataSync() as Float32Array)[0]!;
      model.dispose();
      return { min: Math.min(...logits), max: Math.max(...logits), bias };
    };
    const relu = spread('relu');
    // Every head feature is off: the logit is exactly its bias everywhere, whatever the image.
    expect(relu.min).toBeCloseTo(relu.bias, 5);
    expect(relu.max).toBeCloseTo(relu.bias, 5);
    const linear = spread('linear');
    expect(linear.max - linear.min).toBeGreaterThan(1e-3);
  });
});

describe('segmentationLoss', () => {
  it('is the weighted sigmoid cross-entropy of logits, computed once', () => {
    const logits = tf.tensor([2, -1, 0.5, -3]);
    const labels = tf.tensor([1, 0, 1, 0]);
    const bce = (x: number, y: number) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    const weights = [15, 1, 15, 1];
    const expected =
      [bce(2, 1), bce(-1, 0), bce(0.5, 1), bce(-3, 0)].reduce((s, v, i) => s + v * weights[i]!, 0) / 32;
    expect(segmentationLoss(labels, logits, { positiveWeight: 15 }).dataSync()[0]).toBeCloseTo(expected, 5);
    // Large logits stay finite.
    expect(
      Number.isFinite(
        segmentationLoss(tf.tensor([1, 0]), tf.tensor([200, -200]), { positiveWeight: 15 }).dataSync()[0],
      ),
    ).toBe(true);
  });

  it('mixes in soft IoU', () => {
    const logits = tf.tensor([10, -10]);
    const labels = tf.tensor([1, 0]);
    const pure = segmentationLoss(labels, logits, { positiveWeight: 1 }).dataSync()[0]!;
    const mixed = segmentationLoss(labels, logits, { positiveWeight: 1, softIouWeight: 0.5 }).dataSync()[0]!;
    // Confident and right: soft IoU is ~1, so its term adds ~0.
    expect(mixed).toBeCloseTo(0.5 * pure, 3);
  });
});
