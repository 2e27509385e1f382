import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../main/ml/backend/tf.js';
import { conv2dBackpropFilterNhwc } from '../../main/ml/kernels/conv2dBackpropFilter.js';
import { convGeometry } from '../../main/ml/kernels/kernelUtil.js';
import {
  registerWasmTrainingKernels,
  useFastConv2DBackpropInput,
  wasmTrainingKernelsRegistered,
} from '../../main/ml/kernels/register.js';
import { randomTensor, relativeError, useWasm, valuesOn } from './mlTestUtil.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  kh: number;
  kw: number;
  stride: number | [number, number];
  pad: Pad;
}

// Odd and even sizes, strides 1-3, both paddings, batch > 1, non-square kernels and strides.
const CASES: Case[] = [
  { n: 1, h: 7, w: 7, ci: 3, co: 4, kh: 3, kw: 3, stride: 1, pad: 'same' },
  { n: 2, h: 9, w: 8, ci: 3, co: 5, kh: 3, kw: 3, stride: 2, pad: 'same' },
  { n: 2, h: 11, w: 10, ci: 2, co: 3, kh: 3, kw: 3, stride: 3, pad: 'valid' },
  { n: 1, h: 10, w: 13, ci: 4, co: 2, kh: 4, kw: 4, stride: 2, pad: 'same' },
  { n: 3, h: 8, w: 8, ci: 5, co: 4, kh: 4, kw: 4, stride: 1, pad: 'same' },
  { n: 2, h: 13, w: 7, ci: 3, co: 3, kh: 5, kw: 5, stride: 3, pad: 'same' },
  { n: 1, h: 6, w: 6, ci: 1, co: 8, kh: 3, kw: 3, stride: 2, pad: 'valid' },
  { n: 2, h: 5, w: 5, ci: 2, co: 2, kh: 1, kw: 1, stride: 1, pad: 'valid' },
  { n: 1, h: 12, w: 12, ci: 3, co: 4, kh: 2, kw: 2, stride: 3, pad: 'same' },
  { n: 2, h: 9, w: 11, ci: 2, co: 3, kh: 3, kw: 5, stride: [2, 1], pad: 'same' },
  {
    n: 2,
    h: 9,
    w: 10,
    ci: 3,
    co: 4,
    kh: 3,
    kw: 3,
    stride: 2,
    pad: [
      [0, 0],
      [2, 1],
      [0, 2],
      [0, 0],
    ],
  },
];

const label = (c: Case) =>
  `N${c.n} ${c.h}x${c.w} ${c.ci}->${c.co} k${c.kh}x${c.kw} s${JSON.stringify(c.stride)} ${JSON.stringify(c.pad)}`;

describe('wasm training kernels', () => {
  beforeAll(useWasm);
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('registers idempotently', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(wasmTrainingKernelsRegistered()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CASES)('Conv2DBackpropFilter matches the cpu kernel: $n $h $w $ci $co $kh $stride', async (c) => {
    const x = randomTensor<tf.Rank.R4>([c.n, c.h, c.w, c.ci], 1);
    await tf.setBackend('cpu');
    const dyShape = tf.conv2d(x as tf.Tensor4D, tf.zeros([c.kh, c.kw, c.ci, c.co]), c.stride, c.pad).shape;
    const dy = randomTensor(dyShape, 2);
    const run = () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: [c.kh, c.kw, c.ci, c.co] },
        ) as tf.Tensor;
    const expected = await valuesOn('cpu', run);
    const actual = await valuesOn('wasm', run);
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.values, expected.values), label(c)).toBeLessThan(1e-4);
    tf.dispose([x, dy]);
  });

  it.each(CASES)('Conv2DBackpropInput matches the cpu kernel: $n $h $w $ci $co $kh $stride', async (c) => {
    const filter = randomTensor([c.kh, c.kw, c.ci, c.co], 3);
    await tf.setBackend('cpu');
    const dyShape = tf.conv2d(
      tf.zeros<tf.Rank.R4>([c.n, c.h, c.w, c.ci]),
      filter as tf.Tensor4D,
      c.stride,
      c.pad,
    ).shape;
    const dy = randomTensor(dyShape, 4);
    const run = () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy, filter },
          { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: [c.n, c.h, c.w, c.ci] },
        ) as tf.Tensor;
    const expected = await valuesOn('cpu', run);
    const actual = await valuesOn('wasm', run);
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.values, expected.values), label(c)).toBeLessThan(1e-4);
    tf.dispose([filter, dy]);
  });

  it('splits the filter gradient into pixel chunks, also across images', async () => {
    const x = randomTensor<tf.Rank.R4>([3, 11, 9, 4], 15);
    const dy = randomTensor<tf.Rank.R4>([3, 6, 5, 5], 16);
    const geometry = convGeometry(x.shape, [3, 3, 4, 5], 2, 'same', undefined);
    const run = (chunkBytes?: number) => () =>
      chunkBytes === undefined
        ? (tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x, dy },
              { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 5] },
            ) as tf.Tensor)
        : conv2dBackpropFilterNhwc(x, dy, geometry, { chunkBytes });
    const expected = await valuesOn('cpu', run());
    // 4 bytes x 5 channels x 5 columns = 100 bytes per output row: chunks of 1, 4 and 7 rows.
    for (const chunkBytes of [100, 400, 700]) {
      expect(relativeError((await valuesOn('wasm', run(chunkBytes))).values, expected.values)).toBeLessThan(
        1e-4,
      );
    }
    tf.dispose([x, dy]);
  });

  it('handles NCHW like the cpu kernels', async () => {
    const x = randomTensor([2, 3, 9, 8], 5); // NCHW
    const filter = randomTensor([3, 3, 3, 4], 6);
    const dy = randomTensor([2, 4, 5, 4], 7);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW' } as const;
    const dw = () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, 3, 4] }) as tf.Tensor;
    const dx = () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy, filter },
          { ...attrs, inputShape: [2, 3, 9, 8] },
        ) as tf.Tensor;
    expect(
      relativeError((await valuesOn('wasm', dw)).values, (await valuesOn('cpu', dw)).values),
    ).toBeLessThan(1e-4);
    expect(
      relativeError((await valuesOn('wasm', dx)).values, (await valuesOn('cpu', dx)).values),
    ).toBeLessThan(1e-4);
    tf.dispose([x, filter, dy]);
  });

  it('gives the same conv2d gradients as the cpu backend, end to end', async () => {
    const x = randomTensor<tf.Rank.R4>([2, 12, 10, 3], 8);
    const w = randomTensor<tf.Rank.R4>([3, 3, 3, 4], 9);
    const grads = () => {
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))),
      )([x, w]) as [tf.Tensor, tf.Tensor];
      return tf.concat([tf.reshape(gx, [-1]), tf.reshape(gw, [-1])]);
    };
    expect(
      relativeError((await valuesOn('wasm', grads)).values, (await valuesOn('cpu', grads)).values),
    ).toBeLessThan(1e-4);
    tf.dispose([x, w]);
  });

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const x = randomTensor<tf.Rank.R4>([2, 20, 18, 4], 10);
    const w = randomTensor<tf.Rank.R4>([4, 4, 4, 6], 11);
    const dy = randomTensor<tf.Rank.R4>([2, 10, 9, 6], 12);
    const step = () => {
      const a = tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 4, 6] },
        ) as tf.Tensor;
      const b = tf.conv2dTranspose(dy, w, [2, 20, 18, 4], 2, 'same');
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(v as tf.Tensor4D, w, 1, 'same')))(x);
      tf.dispose([a, b, g]);
    };
    step();
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
    tf.dispose([x, w, dy]);
  });

  it('can switch back to the built-in Conv2DBackpropInput, with the same results', async () => {
    await tf.setBackend('wasm');
    const dy = randomTensor<tf.Rank.R4>([1, 6, 5, 3], 13);
    const w = randomTensor<tf.Rank.R4>([4, 4, 2, 3], 14);
    const run = () => tf.conv2dTranspose(dy, w, [1, 12, 10, 2], 2, 'same');
    const fast = run();
    useFastConv2DBackpropInput(false);
    try {
      const builtin = run();
      expect(relativeError(fast.dataSync(), builtin.dataSync())).toBeLessThan(1e-5);
      tf.dispose(builtin);
    } finally {
      useFastConv2DBackpropInput(true);
    }
    tf.dispose([fast, dy, w]);
  });
});
