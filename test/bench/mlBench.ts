/**
 * `npm run bench -- ml`: the wasm backend's convolution machinery. Forward time of the seed model at
 * 320 and 640, the fast vs built-in Conv2DBackpropInput, the Conv2DBackpropFilter kernel, a training
 * step (batch 4 of 320x320), and achieved GFLOP/s (counted conv FLOPs / time) against a measured
 * ceiling: one big conv2d's GFLOP/s in the same run. Every time is the best of a few runs after a
 * warm-up (the machine is shared: best-of is the least noisy estimate).
 */
import { tf } from '../../main/ml/backend/tf.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { useFastConv2DBackpropInput } from '../../main/ml/kernels/register.js';
import { makeSegmentationLoss } from '../../main/ml/loss.js';
import { convFlops } from '../../main/ml/model/flops.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';

/** Width multiplier recommended for CPU (wasm) use; the bench also reports the next one up. */
export const RECOMMENDED_CPU_WIDTH = 0.25;
const WIDTHS = [RECOMMENDED_CPU_WIDTH, 0.5];

const round = (value: number, digits = 1) => +value.toFixed(digits);

/** Best wall time in ms of `runs` calls after one warm-up; `f` returns what must be computed (read back). */
async function bestMs(f: () => tf.Tensor | Promise<unknown>, runs = 3): Promise<number> {
  const once = async () => {
    const start = performance.now();
    const out = await f();
    if (out instanceof tf.Tensor) {
      await out.data();
      out.dispose();
    }
    return performance.now() - start;
  };
  await once();
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await once());
  return best;
}

export async function mlBench(): Promise<Record<string, unknown>> {
  const selection = await selectBackend({ prefer: 'wasm' });
  const results: Record<string, unknown> = { backend: selection.reason };

  // Ceiling: one large 3x3 conv, 64 -> 64 channels at 160x160 (about 1.9 GFLOP).
  const ceiling = await tf.tidy(() => [
    tf.randomUniform([1, 160, 160, 64]),
    tf.randomUniform([3, 3, 64, 64]),
  ]);
  const [cx, cw] = ceiling as [tf.Tensor4D, tf.Tensor4D];
  const ceilingFlops = 2 * 160 * 160 * 9 * 64 * 64;
  const ceilingMs = await bestMs(() => tf.conv2d(cx, cw, 1, 'same'));
  const ceilingGflops = ceilingFlops / ceilingMs / 1e6;
  results['convCeiling'] = {
    shape: '1x160x160x64 -> 64, 3x3',
    ms: round(ceilingMs),
    gflops: round(ceilingGflops),
  };
  tf.dispose(ceiling);

  // Inference.
  const forward: Record<string, unknown> = {};
  for (const width of WIDTHS) {
    const model = createDensePredictionModel({ widthMultiplier: width, seed: 1 });
    const entry: Record<string, unknown> = {
      params: model.trainableWeights.reduce(
        (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
        0,
      ),
      recommended: width === RECOMMENDED_CPU_WIDTH,
    };
    for (const size of [320, 640]) {
      const input = tf.zeros([1, size, size, 1]);
      const ms = await bestMs(() => model.predict(input) as tf.Tensor, 2);
      const gflop = convFlops(model, [1, size, size, 1]).flops / 1e9;
      entry[`s${size}`] = {
        ms: round(ms),
        convGflop: round(gflop, 2),
        gflops: round(gflop / (ms / 1000)),
        ofCeiling: round(gflop / (ms / 1000) / ceilingGflops, 2),
      };
      input.dispose();
    }
    forward[`width${width}`] = entry;
    model.dispose();
  }
  results['forward'] = forward;

  // Conv2DBackpropInput: the decoder's stride-2 4x4 transposed conv at a 640 input (width 0.5:
  // 32 channels, S/4 -> S/2) and its stride-1 one; the built-in wasm kernel for comparison.
  const backpropInput: Record<string, unknown> = {};
  for (const [name, n, h, c, stride] of [
    ['s2_160to320_c32', 1, 160, 32, 2],
    ['s1_320_c32to16', 1, 320, 32, 1],
  ] as const) {
    const out = stride === 2 ? h * 2 : h;
    const dy = tf.randomUniform([n, h, h, c]) as tf.Tensor4D;
    const filter = tf.randomUniform([4, 4, stride === 1 ? 16 : c, c]) as tf.Tensor4D;
    const shape: [number, number, number, number] = [n, out, out, stride === 1 ? 16 : c];
    const fast = await bestMs(() => tf.conv2dTranspose(dy, filter, shape, stride, 'same'));
    useFastConv2DBackpropInput(false);
    const builtin = await bestMs(() => tf.conv2dTranspose(dy, filter, shape, stride, 'same'), 1);
    useFastConv2DBackpropInput(true);
    backpropInput[name] = { fastMs: round(fast), builtinMs: round(builtin), speedup: round(builtin / fast) };
    tf.dispose([dy, filter]);
  }
  results['conv2dBackpropInput'] = backpropInput;

  // Conv2DBackpropFilter (no built-in wasm kernel): against the forward conv of the same layer.
  const backpropFilter: Record<string, unknown> = {};
  for (const [name, n, h, ci, co, stride] of [
    ['b0_160_16to16_batch4', 4, 160, 16, 16, 1],
    ['down_s2_160_16to24_batch4', 4, 160, 16, 24, 2],
    ['b3_20_64to64_batch4', 4, 20, 64, 64, 1],
  ] as const) {
    const x = tf.randomUniform([n, h, h, ci]) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, ci, co]) as tf.Tensor4D;
    const dy = tf.randomUniform([n, h / stride, h / stride, co]) as tf.Tensor4D;
    const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, ci, co] };
    const ms = await bestMs(
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor,
    );
    const forwardMs = await bestMs(() => tf.conv2d(x, w, stride, 'same'));
    backpropFilter[name] = { ms: round(ms), forwardMs: round(forwardMs), ratio: round(ms / forwardMs, 2) };
    tf.dispose([x, w, dy]);
  }
  results['conv2dBackpropFilter'] = backpropFilter;

  // Training step: batch 4 of 320x320, Adam, weighted cross-entropy on the S/2 logits.
  const training: Record<string, unknown> = {};
  for (const width of WIDTHS) {
    const model = createDensePredictionModel({ widthMultiplier: width, seed: 2 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: makeSegmentationLoss({ positiveWeight: 15 }) });
    const x = tf.randomUniform([4, 320, 320, 1], -0.5, 0.5);
    // The network's logits come out at S/2; the labels are compared there.
    const y = tf.cast(tf.greater(tf.randomUniform([4, 160, 160, 1]), 0.94), 'float32');
    const ms = await bestMs(() => model.trainOnBatch(x, y), 2);
    // Forward + input gradient + filter gradient: about 3x the forward convs.
    const gflop = (3 * convFlops(model, [4, 320, 320, 1]).flops) / 1e9;
    training[`width${width}`] = {
      msPerStep: round(ms),
      samplesPerSecond: round(4000 / ms, 2),
      approxGflop: round(gflop, 1),
      gflops: round(gflop / (ms / 1000)),
      ofCeiling: round(gflop / (ms / 1000) / ceilingGflops, 2),
    };
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
  }
  results['trainingStep_batch4_320'] = training;
  return results;
}
