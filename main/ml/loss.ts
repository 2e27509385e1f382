import { tf } from './backend/tf.js';

export interface SegmentationLossOptions {
  /** Weight of positive pixels: weight = 1 + (w - 1) * y (the published 14-16; y in 0..1). */
  positiveWeight: number;
  /** Share of soft-IoU loss mixed in: (1 - a) * WCE + a * (1 - softIoU). */
  softIouWeight?: number;
  /**
   * How the weighted cross-entropy is averaged: 'weights' (default) divides sum(w * ce) by sum(w);
   * 'pixels' divides by the pixel count, as the published TF code did
   * (tf.losses.sigmoid_cross_entropy with weights, SUM_BY_NONZERO_WEIGHTS). With 'weights' the
   * loss scale does not depend on the batch's lesion fraction; with 'pixels' lesion-heavy batches
   * weigh more.
   */
  normalization?: 'weights' | 'pixels';
}

/**
 * Weighted sigmoid cross-entropy from LOGITS (one sigmoid, computed stably as
 * max(x, 0) - x*y + log(1 + exp(-|x|))), optionally mixed with a soft-IoU loss.
 */
export function segmentationLoss(
  labels: tf.Tensor,
  logits: tf.Tensor,
  options: SegmentationLossOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const wce = weightedSigmoidCrossEntropy(labels, logits, options.positiveWeight, options.normalization);
    const a = options.softIouWeight ?? 0;
    if (a === 0) return wce;
    return tf.add(tf.mul(1 - a, wce), tf.mul(a, softIouLoss(labels, logits))) as tf.Scalar;
  });
}

/** The weighted cross-entropy term of {@link segmentationLoss} alone. */
export function weightedSigmoidCrossEntropy(
  labels: tf.Tensor,
  logits: tf.Tensor,
  positiveWeight: number,
  normalization: 'weights' | 'pixels' = 'weights',
): tf.Scalar {
  return tf.tidy(() => {
    const weights = pixelWeights(labels, positiveWeight);
    const perPixel = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, labels)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    const total = tf.sum(tf.mul(perPixel, weights));
    return tf.div(total, lossDenominator(labels, positiveWeight, normalization)) as tf.Scalar;
  });
}

/** Labels may be soft (a pixel's lesion fraction): its weight is interpolated the same way. */
function pixelWeights(labels: tf.Tensor, positiveWeight: number): tf.Tensor {
  return tf.add(1, tf.mul(positiveWeight - 1, labels));
}

/**
 * What {@link weightedSigmoidCrossEntropy} divides its weighted sum by: sum(w) ('weights') or the
 * pixel count ('pixels'). A batch's loss is its shares' losses averaged with these as weights, which
 * is how data-parallel training combines the gradients of a batch's shares.
 */
export function lossDenominator(
  labels: tf.Tensor,
  positiveWeight: number,
  normalization: 'weights' | 'pixels' = 'weights',
): tf.Scalar {
  return tf.tidy(() =>
    normalization === 'pixels' ? tf.scalar(labels.size) : tf.sum(pixelWeights(labels, positiveWeight)),
  );
}

/** 1 - sum(p*y) / sum(p + y - p*y) with p = sigmoid(logits), over the whole batch. */
export function softIouLoss(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.sigmoid(logits);
    const intersection = tf.sum(tf.mul(p, labels));
    const union = tf.sum(tf.sub(tf.add(p, labels), tf.mul(p, labels)));
    return tf.sub(1, tf.div(intersection, tf.add(union, 1e-6))) as tf.Scalar;
  });
}

/** {@link segmentationLoss} as a `(yTrue, yPred) => loss` function for `LayersModel.compile`. */
export function makeSegmentationLoss(
  options: SegmentationLossOptions,
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  return (yTrue, yPred) => segmentationLoss(yTrue, yPred, options);
}
