import { tf } from './backend/tf.js';

/** Options of {@link segmentationLoss}. */
export interface SegmentationLossOptions {
  /**
   * Weight of positive (lesion) pixels: each pixel's cross-entropy is multiplied by
   * 1 + (positiveWeight - 1) * [label > 0]. Default 15, the published setting; the report's lesson is
   * that this decides everything (with 2 the models collapsed to all-negative).
   */
  positiveWeight?: number;
  /** Share of soft-IoU loss in the mix: (1 - iouWeight) * WCE + iouWeight * (1 - soft IoU). Default 0. */
  iouWeight?: number;
  /** Added to the soft IoU's numerator and denominator so an empty label and prediction score 1. Default 1. */
  smooth?: number;
}

/**
 * Mean weighted sigmoid cross-entropy of LOGITS (the published code applied the sigmoid twice; here
 * it is applied once, inside the stable form max(z, 0) - z*y + log(1 + exp(-|z|))).
 * @param labels targets in [0, 1], same shape as `logits`.
 */
export function weightedSigmoidCrossEntropy(labels: tf.Tensor, logits: tf.Tensor, positiveWeight = 15): tf.Scalar {
  assertSameShape(labels, logits, 'weightedSigmoidCrossEntropy');
  return tf.tidy(() => {
    const y = tf.cast(labels, 'float32');
    const z = tf.cast(logits, 'float32');
    const perPixel = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    const weights = tf.add(1, tf.mul(positiveWeight - 1, tf.cast(tf.greater(y, 0), 'float32')));
    return tf.mean(tf.mul(weights, perPixel));
  });
}

/** 1 - sum(p*y) / sum(p + y - p*y), with p = sigmoid(logits), over the whole batch (smoothed). */
export function softIoULoss(labels: tf.Tensor, logits: tf.Tensor, smooth = 1): tf.Scalar {
  assertSameShape(labels, logits, 'softIoULoss');
  return tf.tidy(() => {
    const y = tf.cast(labels, 'float32');
    const p = tf.sigmoid(tf.cast(logits, 'float32'));
    const intersection = tf.sum(tf.mul(p, y));
    const union = tf.sub(tf.sum(tf.add(p, y)), intersection);
    return tf.sub(1, tf.div(tf.add(intersection, smooth), tf.add(union, smooth)));
  });
}

/** The training loss: weighted cross-entropy, optionally mixed with soft IoU (see {@link SegmentationLossOptions}). */
export function segmentationLoss(labels: tf.Tensor, logits: tf.Tensor, options: SegmentationLossOptions = {}): tf.Scalar {
  const alpha = options.iouWeight ?? 0;
  if (alpha < 0 || alpha > 1) throw new Error(`segmentationLoss: iouWeight must be in [0, 1], got ${alpha}`);
  return tf.tidy(() => {
    const wce = weightedSigmoidCrossEntropy(labels, logits, options.positiveWeight ?? 15);
    if (alpha === 0) return wce;
    const iou = softIoULoss(labels, logits, options.smooth ?? 1);
    return tf.add(tf.mul(1 - alpha, wce), tf.mul(alpha, iou));
  });
}

/** {@link segmentationLoss} as a `(yTrue, yPred) => loss` function for `LayersModel.compile`. */
export function makeSegmentationLoss(options: SegmentationLossOptions = {}): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  return (yTrue, yPred) => segmentationLoss(yTrue, yPred, options);
}

function assertSameShape(a: tf.Tensor, b: tf.Tensor, fn: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${fn}: labels ${JSON.stringify(a.shape)} and logits ${JSON.stringify(b.shape)} differ`);
  }
}
