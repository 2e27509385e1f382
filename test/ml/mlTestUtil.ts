import { tf } from '../../main/ml/backend/tf.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';

const silent = { warn: () => undefined };

/** Activates wasm (with the training kernels) for a test file. */
export async function useWasm(): Promise<void> {
  const selection = await selectBackend({ prefer: 'wasm', logger: silent });
  if (selection.backend !== 'wasm') throw new Error(`wasm unavailable: ${selection.reason}`);
}

/** Deterministic uniform values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomValues(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function randomTensor<R extends tf.Rank>(shape: number[], seed: number): tf.Tensor<R> {
  return tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape as number[],
  ) as unknown as tf.Tensor<R>;
}

/** Runs `f` on the given backend and returns its values and shape (tensors are disposed). */
export async function valuesOn(
  backend: 'cpu' | 'wasm',
  f: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const t = f();
  const out = { values: t.dataSync() as Float32Array, shape: t.shape };
  t.dispose();
  return out;
}

/** max |a - b| / max(1e-6, max |b|): error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return err / scale;
}
