import { tf } from '../backend/tf.js';
import { DilatedConv2D } from './DilatedConv2D.js';
import { ResizeToReference, registerCustomLayers } from './layers.js';

/** Options of {@link buildSeedModel}. */
export interface SeedModelOptions {
  /**
   * Channel multiplier on every layer (1 = the published 11.5M-parameter model). On the wasm
   * backend 0.5 (~2.9M) is the recommended CPU setting; see `test/bench/mlBench.ts`.
   */
  width?: number;
  /**
   * Add a final bilinear resize of the logits to the input's size (the published model's step 10).
   * Without it the output is the S/2 logit map.
   */
  fullResolution?: boolean;
  /** L2 factor on the 1x1 bottleneck and logit kernels (default 0.0025, Keras convention). */
  l2?: number;
  /** Seeds the initializers (each layer gets seed, seed+1, ...) so a build is reproducible. */
  seed?: number;
  name?: string;
}

/** Widths of the published model, before the multiplier. */
const WIDTHS = {
  b0: 32,
  down: 48,
  b1: 48,
  b2: 64,
  b3: 128,
  b4: 256,
  b5: 512,
  bottleneck: 256,
  d1: 128,
  d2: 64,
  t1: 64,
  t2: 32,
  d3: 16,
};

/**
 * Input sizes for which every stage divides exactly (stem, conv, three pools: 2^5). Other sizes run
 * (all layers use 'same' padding and the decoder resizes to the encoder's actual sizes), but the
 * half-resolution logits are then 2*ceil(S/4) rather than S/2 and the stages are off-centre by a
 * fraction of a pixel: pad inputs up to a multiple of this (see {@link paddedSize}).
 */
export const SIZE_MULTIPLE = 32;

/** The smallest multiple of {@link SIZE_MULTIPLE} >= size: the size to pad an input side to. */
export function paddedSize(size: number): number {
  return Math.max(SIZE_MULTIPLE, Math.ceil(size / SIZE_MULTIPLE) * SIZE_MULTIPLE);
}

/**
 * Builds model "3.9.4.01" of Scuccimarra's "Dense Prediction of Mammography" (see
 * shared/notes/seed-model.md) as a tfjs functional model: input [batch, S, S, 1] (any S, see
 * {@link SIZE_MULTIPLE}), output LOGITS (no sigmoid; the loss applies the only one) at S/2, or at S
 * with `fullResolution`.
 *
 * Departures from the published code, on purpose: the first dilated conv of block 5 feeds the next
 * (the original skipped it); dropout 0.001 after the pools is left out (negligible); dilated convs
 * are {@link DilatedConv2D} layers so they can be trained.
 */
export function buildSeedModel(options: SeedModelOptions = {}): tf.LayersModel {
  registerCustomLayers();
  const width = options.width ?? 1;
  if (!(width > 0)) throw new Error(`buildSeedModel: width must be > 0, got ${width}`);
  const l2 = options.l2 ?? 0.0025;
  const ch = (c: number): number => Math.max(1, Math.round(c * width));
  let nextSeed = options.seed;
  const heNormal = () => tf.initializers.heNormal(nextSeed === undefined ? {} : { seed: nextSeed++ });

  const input = tf.input({ shape: [null, null, 1], name: 'image' });

  const conv = (
    x: tf.SymbolicTensor,
    filters: number,
    name: string,
    strides = 1,
    dilation = 1,
  ): tf.SymbolicTensor => {
    const layer =
      dilation > 1
        ? new DilatedConv2D({
            filters: ch(filters),
            kernelSize: 3,
            rate: dilation,
            name,
            ...(nextSeed === undefined ? {} : { seed: nextSeed++ }),
          })
        : tf.layers.conv2d({
            filters: ch(filters),
            kernelSize: 3,
            strides,
            padding: 'same',
            kernelInitializer: heNormal(),
            name,
          });
    return layer.apply(x) as tf.SymbolicTensor;
  };
  const bn = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.batchNormalization({ momentum: 0.99, epsilon: 1e-3, name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  /** conv -> BN -> ReLU; returns the BN output too, for residuals. */
  const unit = (
    x: tf.SymbolicTensor,
    filters: number,
    name: string,
    strides = 1,
    dilation = 1,
  ): { out: tf.SymbolicTensor; normed: tf.SymbolicTensor } => {
    const normed = bn(conv(x, filters, `${name}_conv`, strides, dilation), `${name}_bn`);
    return { out: relu(normed, `${name}_relu`), normed };
  };
  /**
   * `convs` conv units; the last one's BN output is added to the first one's BN output before its
   * ReLU. `dilation` applies to the units after the first.
   */
  const residualBlock = (
    x: tf.SymbolicTensor,
    filters: number,
    name: string,
    convs: number,
    firstStride = 1,
    dilation = 1,
  ): tf.SymbolicTensor => {
    const first = unit(x, filters, `${name}_c1`, firstStride);
    let y = first.out;
    for (let i = 2; i < convs; i++) y = unit(y, filters, `${name}_c${i}`, 1, dilation).out;
    const last = bn(conv(y, filters, `${name}_c${convs}_conv`, 1, dilation), `${name}_c${convs}_bn`);
    const sum = tf.layers.add({ name: `${name}_add` }).apply([last, first.normed]) as tf.SymbolicTensor;
    return relu(sum, `${name}_relu`);
  };
  const maxPool = (x: tf.SymbolicTensor, size: number, name: string): tf.SymbolicTensor =>
    tf.layers
      .maxPooling2d({ poolSize: size, strides: 2, padding: 'same', name })
      .apply(x) as tf.SymbolicTensor;

  // Encoder.
  const b0 = residualBlock(input, WIDTHS.b0, 'block0', 3, 2); // S/2
  const down = unit(b0, WIDTHS.down, 'down', 2).out; // S/4
  const b1 = maxPool(residualBlock(down, WIDTHS.b1, 'block1', 3), 3, 'block1_pool'); // S/8
  const b2 = maxPool(residualBlock(b1, WIDTHS.b2, 'block2', 3), 2, 'block2_pool'); // S/16
  const b3 = maxPool(residualBlock(b2, WIDTHS.b3, 'block3', 3), 2, 'block3_pool'); // S/32
  const b4 = residualBlock(b3, WIDTHS.b4, 'block4', 4);
  const b5 = residualBlock(b4, WIDTHS.b5, 'block5', 4, 1, 2);
  const bottleneck = relu(
    bn(
      tf.layers
        .conv2d({
          filters: ch(WIDTHS.bottleneck),
          kernelSize: 1,
          kernelInitializer: heNormal(),
          kernelRegularizer: tf.regularizers.l2({ l2 }),
          name: 'bottleneck_conv',
        })
        .apply(b5) as tf.SymbolicTensor,
      'bottleneck_bn',
    ),
    'bottleneck_relu',
  );

  // Decoder.
  const up8 = new ResizeToReference({ method: 'nearest', name: 'up_s8' }).apply([
    bottleneck,
    b1,
  ]) as tf.SymbolicTensor;
  const d1 = unit(up8, WIDTHS.d1, 'dec1').out;
  const up4 = new ResizeToReference({ method: 'nearest', name: 'up_s4' }).apply([
    d1,
    down,
  ]) as tf.SymbolicTensor;
  const d2 = unit(up4, WIDTHS.d2, 'dec2').out;
  const transposed = (
    x: tf.SymbolicTensor,
    filters: number,
    strides: number,
    name: string,
  ): tf.SymbolicTensor =>
    tf.layers
      .conv2dTranspose({
        filters: ch(filters),
        kernelSize: 4,
        strides,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: heNormal(),
        name,
      })
      .apply(x) as tf.SymbolicTensor;
  const t1 = transposed(d2, WIDTHS.t1, 2, 'up_s2_tconv'); // S/2
  const t2 = transposed(t1, WIDTHS.t2, 1, 'dec3_tconv');
  const d3 = unit(t2, WIDTHS.d3, 'dec4').out;
  let logits = tf.layers
    .conv2d({
      filters: 1,
      kernelSize: 1,
      kernelInitializer: tf.initializers.glorotUniform(nextSeed === undefined ? {} : { seed: nextSeed++ }),
      // Positives are ~6% of pixels: start from mostly-negative predictions (as densePredictionModel.ts).
      biasInitializer: tf.initializers.constant({ value: -2 }),
      kernelRegularizer: tf.regularizers.l2({ l2 }),
      name: 'logits',
    })
    .apply(d3) as tf.SymbolicTensor;
  if (options.fullResolution ?? true) {
    logits = new ResizeToReference({ method: 'bilinear', name: 'logits_full' }).apply([
      logits,
      input,
    ]) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: logits, name: options.name ?? `seed_3_9_4_01_w${width}` });
}

/** Trainable parameters (the count the paper quotes; `countParams()` adds the BN moving statistics). */
export function countTrainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1),
    0,
  );
}
