import { tf } from '../backend/tf.js';
import { DilatedConv2D } from './DilatedConv2D.js';
import './registerLayers.js';

export interface DensePredictionModelOptions {
  /** Scales every layer's width; 1 = the published model (~11.5M parameters). */
  widthMultiplier?: number;
  seed?: number;
  /**
   * The last unit before the logits: 'relu' as published, or 'linear' (conv-BN without the ReLU).
   * With a ReLU the logit is capped at its bias wherever every head feature is off, and a CBIS-DDSM
   * run learned exactly that (masses as "no feature"): a flat plateau at sigmoid(bias) that ranks
   * nothing (models/EXPERIMENTS.md, E19).
   */
  headActivation?: 'relu' | 'linear';
}

/** The published widths of model 3.9.4.01. */
const WIDTHS = {
  stem: 32,
  down: 48,
  block2: 64,
  block3: 128,
  block4: 256,
  block5: 512,
  bottleneck: 256,
  decoder8: 128,
  decoder4: 64,
  up2: 64,
  up1: 32,
  head: 16,
};
const BN_MOMENTUM = 0.99;
const L2 = 0.0025;

/** Input sizes must be multiples of this (five halvings); callers pad. */
export const INPUT_MULTIPLE = 32;

/**
 * E. Scuccimarra's dense-prediction model "3.9.4.01" in tfjs layers, for any input size that is a
 * multiple of 32: a stride-2 residual encoder to S/32, a dilated block, a 1x1 bottleneck, and a
 * resize + transposed-conv decoder that outputs one channel of LOGITS at S/2. Callers resize the
 * logits to S and apply a single sigmoid (the published code applied it twice).
 *
 * @example
 * const model = createDensePredictionModel({ widthMultiplier: 0.25 });
 * const logits = model.predict(tf.zeros([1, 320, 320, 1])) as tf.Tensor; // [1, 160, 160, 1]
 */
export function createDensePredictionModel({
  widthMultiplier = 1,
  seed = 1,
  headActivation = 'relu',
}: DensePredictionModelOptions = {}): tf.LayersModel {
  let seedCounter = seed * 1000;
  const init = () => tf.initializers.heNormal({ seed: seedCounter++ });
  const width = (n: number) => Math.max(4, Math.round(n * widthMultiplier));

  const conv = (
    x: tf.SymbolicTensor,
    filters: number,
    options: { strides?: number; kernelSize?: number; l2?: boolean } = {},
  ) =>
    tf.layers
      .conv2d({
        filters: width(filters),
        kernelSize: options.kernelSize ?? 3,
        strides: options.strides ?? 1,
        padding: 'same',
        kernelInitializer: init(),
        ...(options.l2 ? { kernelRegularizer: tf.regularizers.l2({ l2: L2 }) } : {}),
      })
      .apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) =>
    tf.layers.batchNormalization({ momentum: BN_MOMENTUM }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const unit = (
    x: tf.SymbolicTensor,
    filters: number,
    options: { strides?: number; kernelSize?: number; l2?: boolean } = {},
  ) => relu(bn(conv(x, filters, options)));
  /** conv-BN (kept for the shortcut) -> ReLU -> conv unit(s) -> conv-BN -> + shortcut -> ReLU */
  const residual = (
    x: tf.SymbolicTensor,
    filters: number,
    options: { strides?: number; middle?: number } = {},
  ) => {
    const first = bn(conv(x, filters, { strides: options.strides ?? 1 }));
    let y = relu(first);
    for (let i = 0; i < (options.middle ?? 1); i++) y = unit(y, filters);
    const last = bn(conv(y, filters));
    return relu(tf.layers.add().apply([last, first]) as tf.SymbolicTensor);
  };
  const dilatedUnit = (x: tf.SymbolicTensor, filters: number, withRelu: boolean) => {
    const y = bn(
      new DilatedConv2D({ filters: width(filters), kernelSize: 3, rate: 2, seed: seedCounter++ }).apply(
        x,
      ) as tf.SymbolicTensor,
    );
    return withRelu ? relu(y) : y;
  };

  const input = tf.input({ shape: [null, null, 1] as unknown as number[], name: 'scan' });
  let x = residual(input, WIDTHS.stem, { strides: 2 }); // block 0 -> S/2
  x = unit(x, WIDTHS.down, { strides: 2 }); // in place of a pool -> S/4
  x = residual(x, WIDTHS.down); // block 1
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor; // S/8
  x = residual(x, WIDTHS.block2);
  x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor; // S/16
  x = residual(x, WIDTHS.block3);
  x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor; // S/32
  x = residual(unit(x, WIDTHS.block4), WIDTHS.block4); // block 4: conv 256 then three conv 256, residual

  // Block 5: conv 512, then three dilated convs, each reading the previous one's output (the
  // published code skipped the first), with the residual from the first conv.
  const block5First = bn(conv(x, WIDTHS.block5));
  let y = dilatedUnit(relu(block5First), WIDTHS.block5, true);
  y = dilatedUnit(y, WIDTHS.block5, true);
  y = dilatedUnit(y, WIDTHS.block5, false);
  x = relu(tf.layers.add().apply([y, block5First]) as tf.SymbolicTensor);

  x = unit(x, WIDTHS.bottleneck, { kernelSize: 1, l2: true });
  x = tf.layers.upSampling2d({ size: [4, 4], interpolation: 'nearest' }).apply(x) as tf.SymbolicTensor; // S/8
  x = unit(x, WIDTHS.decoder8);
  x = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest' }).apply(x) as tf.SymbolicTensor; // S/4
  x = unit(x, WIDTHS.decoder4);
  x = tf.layers
    .conv2dTranspose({
      filters: width(WIDTHS.up2),
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
    })
    .apply(x) as tf.SymbolicTensor; // S/2
  x = tf.layers
    .conv2dTranspose({
      filters: width(WIDTHS.up1),
      kernelSize: 4,
      strides: 1,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
    })
    .apply(x) as tf.SymbolicTensor;
  x = headActivation === 'relu' ? unit(x, WIDTHS.head) : bn(conv(x, WIDTHS.head));
  const logits = tf.layers
    .conv2d({
      filters: 1,
      kernelSize: 1,
      padding: 'same',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedCounter++ }),
      // Start with mostly-negative predictions: positives are ~6% of pixels.
      biasInitializer: tf.initializers.constant({ value: -2 }),
      kernelRegularizer: tf.regularizers.l2({ l2: L2 }),
      name: 'logits',
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'dense_prediction_3_9_4_01' });
}
