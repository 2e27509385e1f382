import { describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import {
  makeSegmentationLoss,
  segmentationLoss,
  softIouLoss,
  weightedSigmoidCrossEntropy,
} from '../../main/ml/loss.js';

const bce = (x: number, y: number) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
const logitsValues = [2, -1, 0.5, -3, 0];
const labelValues = [1, 0, 1, 0, 1];

describe('loss functions (additions to segmentationLoss)', () => {
  it('averages over pixels like the published code with normalization "pixels"', () => {
    const weights = labelValues.map((y) => (y > 0 ? 15 : 1));
    const sum = logitsValues.reduce((s, x, i) => s + weights[i]! * bce(x, labelValues[i]!), 0);
    const labels = tf.tensor(labelValues);
    const logits = tf.tensor(logitsValues);
    expect(weightedSigmoidCrossEntropy(labels, logits, 15, 'pixels').dataSync()[0]).toBeCloseTo(sum / 5, 5);
    expect(weightedSigmoidCrossEntropy(labels, logits, 15).dataSync()[0]).toBeCloseTo(sum / 47, 5);
  });

  it('computes soft IoU from one sigmoid', () => {
    const p = logitsValues.map((x) => 1 / (1 + Math.exp(-x)));
    const inter = p.reduce((s, v, i) => s + v * labelValues[i]!, 0);
    const union = p.reduce((s, v, i) => s + v + labelValues[i]! - v * labelValues[i]!, 0);
    expect(softIouLoss(tf.tensor(labelValues), tf.tensor(logitsValues)).dataSync()[0]).toBeCloseTo(
      1 - inter / union,
      5,
    );
  });

  it('wraps segmentationLoss for LayersModel.compile', () => {
    const labels = tf.tensor4d(labelValues.slice(0, 4), [1, 2, 2, 1]);
    const logits = tf.tensor4d(logitsValues.slice(0, 4), [1, 2, 2, 1]);
    const options = { positiveWeight: 15, softIouWeight: 0.3 };
    expect(makeSegmentationLoss(options)(labels, logits).dataSync()[0]).toBeCloseTo(
      segmentationLoss(labels, logits, options).dataSync()[0]!,
      6,
    );
  });
});
