import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import { dilatedConv2d } from '../../main/ml/kernels/dilatedConv2d.js';
import { randomTensor, relativeError, useWasm, valuesOn } from './mlTestUtil.js';

/** The dilated filter with zeros between the taps, built from differentiable ops. */
function zeroInserted(filter: tf.Tensor4D, rate: number): tf.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  const spread = tf.pad(tf.reshape(filter, [kh, 1, kw, 1, ci * co]), [
    [0, 0],
    [0, rate - 1],
    [0, 0],
    [0, rate - 1],
    [0, 0],
  ]);
  const full = tf.reshape(spread, [kh * rate, kw * rate, ci, co]);
  return tf.slice(full, [0, 0, 0, 0], [(kh - 1) * rate + 1, (kw - 1) * rate + 1, ci, co]) as tf.Tensor4D;
}

const CASES = [
  { shape: [2, 11, 9, 3], k: 3, co: 4, rate: 2, pad: 'same' },
  { shape: [1, 10, 13, 2], k: 3, co: 3, rate: 3, pad: 'same' },
  { shape: [2, 12, 12, 2], k: 2, co: 2, rate: 2, pad: 'same' },
  { shape: [1, 13, 11, 3], k: 3, co: 2, rate: 2, pad: 'valid' },
  { shape: [2, 7, 7, 1], k: 3, co: 2, rate: 3, pad: 'same' },
] as const;

describe('dilatedConv2d (space-to-batch form)', () => {
  beforeAll(useWasm);

  it.each(CASES)(
    'equals tf.conv2d with dilations on the cpu backend: $shape k$k rate $rate $pad',
    async (c) => {
      const x = randomTensor<tf.Rank.R4>([...c.shape], 1);
      const f = randomTensor<tf.Rank.R4>([c.k, c.k, c.shape[3], c.co], 2);
      const expected = await valuesOn('cpu', () => tf.conv2d(x, f, 1, c.pad, 'NHWC', c.rate));
      const actual = await valuesOn('wasm', () => dilatedConv2d(x, f, c.rate, c.pad));
      expect(actual.shape).toEqual(expected.shape);
      expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
      tf.dispose([x, f]);
    },
  );

  it.each(CASES)(
    'has the gradients of the zero-inserted filter conv: $shape k$k rate $rate $pad',
    async (c) => {
      const x = randomTensor<tf.Rank.R4>([...c.shape], 3);
      const f = randomTensor<tf.Rank.R4>([c.k, c.k, c.shape[3], c.co], 4);
      await tf.setBackend('cpu');
      const outShape = tf.conv2d(x, f, 1, c.pad, 'NHWC', c.rate).shape;
      const r = randomTensor(outShape, 5);
      const gradients = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => () => {
        const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r)),
        )([x, f]) as [tf.Tensor, tf.Tensor];
        return tf.concat([tf.reshape(gx, [-1]), tf.reshape(gf, [-1])]);
      };
      const expected = await valuesOn(
        'cpu',
        gradients((a, b) => tf.conv2d(a, zeroInserted(b, c.rate), 1, c.pad)),
      );
      const actual = await valuesOn(
        'wasm',
        gradients((a, b) => dilatedConv2d(a, b, c.rate, c.pad)),
      );
      expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
      tf.dispose([x, f, r]);
    },
  );

  it('matches a finite-difference gradient', async () => {
    await tf.setBackend('wasm');
    const x = randomTensor<tf.Rank.R4>([1, 9, 8, 2], 6);
    const f = randomTensor<tf.Rank.R4>([3, 3, 2, 2], 7);
    const loss = (filter: tf.Tensor) => tf.sum(tf.square(dilatedConv2d(x, filter as tf.Tensor4D, 2)));
    const analytic = tf.grad(loss)(f).dataSync();
    const base = f.dataSync();
    const eps = 1e-2;
    for (const i of [0, 7, 20, 35]) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i]! += eps;
      minus[i]! -= eps;
      const numeric =
        (loss(tf.tensor(plus, f.shape)).dataSync()[0]! - loss(tf.tensor(minus, f.shape)).dataSync()[0]!) /
        (2 * eps);
      expect(Math.abs(numeric - analytic[i]!)).toBeLessThan(1e-2 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('refuses a non-integer rate and falls through to a plain conv at rate 1', async () => {
    await tf.setBackend('wasm');
    const x = randomTensor<tf.Rank.R4>([1, 5, 5, 1], 8);
    const f = randomTensor<tf.Rank.R4>([3, 3, 1, 1], 9);
    expect(() => dilatedConv2d(x, f, 1.5)).toThrow(/positive integer/);
    expect(relativeError(dilatedConv2d(x, f, 1).dataSync(), tf.conv2d(x, f, 1, 'same').dataSync())).toBe(0);
  });
});
