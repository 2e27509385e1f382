import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import { registerExactNearestUpsamplingGradient } from '../../main/ml/kernels/nearestUpsamplingGradient.js';
import { randomValues, useWasm, valuesOn } from './mlTestUtil.js';

/**
 * d/dx of sum(w * upsample(x)): each input pixel was copied to an s x s block, so its gradient is
 * the sum of w over that block (computed here by plain loops, the outside truth).
 */
function blockSums(
  w: Float32Array,
  batch: number,
  rows: number,
  columns: number,
  channels: number,
  s: number,
) {
  const out = new Float32Array(batch * rows * columns * channels);
  for (let b = 0; b < batch; b++)
    for (let r = 0; r < rows * s; r++)
      for (let c = 0; c < columns * s; c++)
        for (let k = 0; k < channels; k++)
          out[((b * rows + Math.floor(r / s)) * columns + Math.floor(c / s)) * channels + k]! +=
            w[((b * rows * s + r) * columns * s + c) * channels + k]!;
  return out;
}

describe('nearest-neighbour upsampling gradient', () => {
  beforeAll(async () => {
    await useWasm();
    registerExactNearestUpsamplingGradient();
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`is the sum over each copied block on ${backend}, batch > 1, factors 2 and 4`, async () => {
      for (const s of [2, 4]) {
        const [batch, rows, columns, channels] = [3, 5, 4, 2];
        const x = randomValues(batch * rows * columns * channels, 7);
        const w = randomValues(batch * rows * s * columns * s * channels, 8 + s);
        const { values } = await valuesOn(backend, () =>
          tf.grad((input: tf.Tensor) =>
            tf.sum(
              tf.mul(
                tf.image.resizeNearestNeighbor(input as tf.Tensor4D, [rows * s, columns * s]),
                tf.tensor4d(w, [batch, rows * s, columns * s, channels]),
              ),
            ),
          )(tf.tensor4d(x, [batch, rows, columns, channels])),
        );
        const expected = blockSums(w, batch, rows, columns, channels, s);
        values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
      }
    });
  }
});
