import { tf } from './backend/tf.js';

export interface SegmentationLossOptions {
  /** Weight of positive pixels: weight = 1 + (w - 1) * [y > 0] (the published 14-16). */
  positiveWeight: number;
  /** Share of soft-IoU loss mixed in: (1 - a) * WCE + a * (1 - softIoU). */
  softIouWeight?: number;
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
    const weights = tf.add(1, tf.mul(options.positiveWeight - 1, tf.cast(tf.greater(labels, 0), 'float32')));
    const perPixel = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, labels)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    const wce = tf.div(tf.sum(tf.mul(perPixel, weights)), tf.sum(weights)) as tf.Scalar;
    const a = options.softIouWeight ?? 0;
    if (a === 0) return wce;
    const p = tf.sigmoid(logits);
    const intersection = tf.sum(tf.mul(p, labels));
    const union = tf.sum(tf.sub(tf.add(p, labels), tf.mul(p, labels)));
    const softIou = tf.div(intersection, tf.add(union, 1e-6));
    return tf.add(tf.mul(1 - a, wce), tf.mul(a, tf.sub(1, softIou))) as tf.Scalar;
  });
}
