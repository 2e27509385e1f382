import { tf } from '../ml/backend/tf.js';
import { registerExactNearestUpsamplingGradient } from '../ml/kernels/nearestUpsamplingGradient.js';
import { lossDenominator, segmentationLoss } from '../ml/loss.js';
import type { TrainingConfig } from './trainingConfig.js';

/** The loss settings a training step needs. */
export type StepLossSettings = Pick<TrainingConfig, 'positiveWeight' | 'softIouWeight'>;

/** `count` NHWC-flat images and 0/1 labels of side `size`: a batch, or one share of it. */
export interface Examples {
  images: Float32Array;
  labels: Float32Array;
  count: number;
}

/** What one share of a batch contributes to a data-parallel step. */
export interface ShareGradients {
  /** The share's loss (data term and the layers' L2 terms). */
  loss: number;
  /** The share's loss denominator (see `lossDenominator`): its weight in the batch's gradient. */
  weight: number;
  /** Examples in the share: its weight in the batch-norm statistics. */
  examples: number;
  /** One gradient per trainable weight, in the model's order. */
  gradients: Float32Array[];
  /** The model's non-trainable weights (batch-norm moving statistics) after this share's forward pass. */
  statistics: Float32Array[];
}

/** The combined step every replica applies: identical arrays, so the replicas stay identical. */
export interface AveragedStep {
  loss: number;
  gradients: Float32Array[];
  statistics: Float32Array[];
}

/**
 * Splits a batch into `shares` shares by interleaving (example b goes to share b mod shares), so
 * each share gets its part of the lesion-centred crops that lead the batch (`sampleBatch`), and
 * its batch-norm statistics are not those of one kind of crop.
 */
export function splitBatch(batch: Examples, shares: number, size: number): Examples[] {
  const area = size * size;
  return Array.from({ length: Math.min(shares, batch.count) }, (_, share) => {
    const members: number[] = [];
    for (let b = share; b < batch.count; b += shares) members.push(b);
    const images = new Float32Array(members.length * area);
    const labels = new Float32Array(members.length * area);
    members.forEach((b, i) => {
      images.set(batch.images.subarray(b * area, (b + 1) * area), i * area);
      labels.set(batch.labels.subarray(b * area, (b + 1) * area), i * area);
    });
    return { images, labels, count: members.length };
  });
}

/**
 * The training loss of a batch: the logits come out at S/2, so the loss is taken there, against
 * each 2x2 block's lesion fraction. Resizing the logits up instead would need the bilinear
 * gradient, which ignores half-pixel centres on cpu and wasm (inference resizes forward only,
 * where it is exact). The layers' L2 terms (the 1x1 bottleneck and the logits, as published) are
 * added. Returns the loss and the pooled labels.
 */
function batchLoss(
  model: tf.LayersModel,
  examples: Examples,
  settings: StepLossSettings,
  size: number,
): { loss: () => tf.Scalar; labels: tf.Tensor4D } {
  const images = tf.tensor4d(examples.images, [examples.count, size, size, 1]);
  const labels = tf.avgPool(tf.tensor4d(examples.labels, [examples.count, size, size, 1]), 2, 2, 'valid');
  return {
    labels,
    loss: () => {
      const logits = model.apply(images, { training: true }) as tf.Tensor4D;
      const data = segmentationLoss(labels, logits, {
        positiveWeight: settings.positiveWeight,
        softIouWeight: settings.softIouWeight,
      });
      const regularisation = model.calculateLosses();
      return regularisation.length ? (tf.add(data, tf.addN(regularisation)) as tf.Scalar) : data;
    },
  };
}

/** The model's trainable variables, in its weights' order (which Adam's slots follow by position). */
function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** The non-trainable weights' values (batch-norm moving means and variances). */
export function readStatistics(model: tf.LayersModel): Float32Array[] {
  return model.nonTrainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
}

export function writeStatistics(model: tf.LayersModel, statistics: readonly Float32Array[]): void {
  tf.tidy(() => {
    model.nonTrainableWeights.forEach((w, i) => w.write(tf.tensor(statistics[i]!, w.read().shape)));
  });
}

/**
 * Gradients of one share's loss. The forward pass runs in training mode, so batch norm uses this
 * share's statistics (ghost batch norm) and moves its averages towards them.
 */
export function shareGradients(
  model: tf.LayersModel,
  share: Examples,
  settings: StepLossSettings,
  size: number,
): ShareGradients {
  registerExactNearestUpsamplingGradient();
  const variables = trainableVariables(model);
  const { value, grads, weight } = tf.tidy(() => {
    const { loss, labels } = batchLoss(model, share, settings, size);
    return { ...tf.variableGrads(loss, variables), weight: lossDenominator(labels, settings.positiveWeight) };
  });
  try {
    return {
      loss: value.dataSync()[0]!,
      weight: weight.dataSync()[0]!,
      examples: share.count,
      gradients: variables.map((v) => {
        const gradient = grads[v.name];
        if (!gradient) throw new Error(`training: the loss does not depend on ${v.name}`);
        return Float32Array.from(gradient.dataSync());
      }),
      statistics: readStatistics(model),
    };
  } finally {
    tf.dispose([value, weight, grads]);
  }
}

/**
 * The gradients of several shares computed by one replica. Each share's forward pass starts from
 * the same moving statistics, as it would on a replica of its own, so the result does not depend
 * on how many threads computed the shares.
 */
export function sharesGradients(
  model: tf.LayersModel,
  shares: readonly Examples[],
  settings: StepLossSettings,
  size: number,
): ShareGradients[] {
  const before = shares.length > 1 ? readStatistics(model) : null;
  return shares.map((share, i) => {
    if (i > 0) writeStatistics(model, before!);
    return shareGradients(model, share, settings, size);
  });
}

/**
 * Combines the shares (in share order, so every thread count gives the same bits). The batch's
 * loss is sum(w * ce) / sum(w) over all its pixels = sum_k W_k L_k / sum_k W_k, with W_k a
 * share's denominator, so the gradients are averaged with those weights: without batch norm this
 * is exactly the whole batch's gradient. (A soft-IoU term is a ratio over the whole batch and
 * does not split: with it the average is an approximation.)
 *
 * Batch-norm moving statistics: each replica moved them from the same values with its own share's
 * statistics (ghost batch norm, as multi-GPU training does); their mean weighted by share size is
 * taken after every step and written into every replica. The moving average is linear, so this
 * equals averaging the replicas only before a checkpoint, a validation or the final save, and it
 * keeps every replica identical at every step (a resumed run restarts all of them from the saved
 * values and continues exactly as an uninterrupted one).
 */
export function averageShares(shares: readonly ShareGradients[]): AveragedStep {
  const lossWeights = shares.map((s) => s.weight);
  const totalWeight = lossWeights.reduce((a, b) => a + b, 0);
  return {
    loss: shares.reduce((sum, s) => sum + s.weight * s.loss, 0) / totalWeight,
    gradients: weightedMean(
      shares.map((s) => s.gradients),
      lossWeights,
    ),
    statistics: weightedMean(
      shares.map((s) => s.statistics),
      shares.map((s) => s.examples),
    ),
  };
}

/** Element-wise sum_k w_k x_k / sum_k w_k of each array over the shares k (summed in float64). */
function weightedMean(perShare: readonly Float32Array[][], weights: readonly number[]): Float32Array[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return perShare[0]!.map((first, index) => {
    const arrays = perShare.map((share) => share[index]!);
    const out = new Float32Array(first.length);
    for (let i = 0; i < out.length; i++) {
      let sum = 0;
      for (let k = 0; k < arrays.length; k++) sum += weights[k]! * arrays[k]![i]!;
      out[i] = sum / total;
    }
    return out;
  });
}

/** Applies a combined step with this replica's optimizer at `learningRate`. */
export function applyAveragedStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  step: AveragedStep,
  learningRate: number,
): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
  const variables = trainableVariables(model);
  tf.tidy(() => {
    const gradients: tf.NamedTensorMap = {};
    variables.forEach((v, i) => {
      gradients[v.name] = tf.tensor(step.gradients[i]!, v.shape);
    });
    optimizer.applyGradients(gradients);
  });
  writeStatistics(model, step.statistics);
}
