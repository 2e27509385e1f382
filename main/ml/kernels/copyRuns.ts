import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { DataId, KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { tf } from '../backend/tf.js';

/** Name of the helper kernel behind {@link copyRuns}. */
export const COPY_RUNS = 'MammoCopyRuns';

/**
 * Gathers strided row runs of a float32 tensor into a new tensor: for each quadruple
 * (offset, count, stride, length) in `runs`, copies `count` rows of `length` elements starting at
 * flat `offset` of `x`, `stride` elements apart, appending them to the output (`shape`).
 *
 * Why it exists: wasm's `slice` first copies the whole source tensor to JavaScript, so slicing
 * small pieces out of a large activation costs the activation's size every time, and wasm's
 * `gather` copies element by element (~30 ns each). This kernel copies through views of the
 * backend's heap at memcpy speed, which the chunked filter-gradient products depend on.
 */
export function copyRuns(x: tf.Tensor, runs: readonly number[], shape: number[]): tf.Tensor {
  return tf.engine().runKernel(COPY_RUNS, { x }, { runs: runs as number[], shape }) as tf.Tensor;
}

/** The part of tfjs-backend-cpu's `MathBackendCPU` used here (that package is not a direct dependency). */
interface CpuBackendLike {
  data: { get(dataId: DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

const SHORT_RUN = 64;

function fill(dst: Float32Array, src: Float32Array, runs: readonly number[]): void {
  let at = 0;
  for (let i = 0; i + 3 < runs.length; i += 4) {
    let offset = runs[i] as number;
    const count = runs[i + 1] as number;
    const stride = runs[i + 2] as number;
    const length = runs[i + 3] as number;
    if (length >= SHORT_RUN) {
      for (let r = 0; r < count; r++, offset += stride, at += length)
        dst.set(src.subarray(offset, offset + length), at);
    } else {
      // subarray() allocates a view per call, which dominates for short rows.
      for (let r = 0; r < count; r++, offset += stride)
        for (let k = 0; k < length; k++) dst[at++] = src[offset + k] as number;
    }
  }
  if (at !== dst.length) throw new Error(`${COPY_RUNS}: runs cover ${at} elements, output has ${dst.length}`);
}

function attrsOf(attrs: unknown): { runs: number[]; shape: number[] } {
  return attrs as { runs: number[]; shape: number[] };
}

function inputX(inputs: tf.NamedTensorInfoMap): tf.TensorInfo {
  const x = inputs['x'];
  if (x === undefined || x.dtype !== 'float32') throw new Error(`${COPY_RUNS}: needs a float32 input 'x'`);
  return x;
}

const copyRunsWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { runs, shape } = attrsOf(attrs);
  const x = inputX(inputs);
  const out = wasm.makeOutput(shape, 'float32');
  // Views are taken after the allocation: growing the wasm memory detaches earlier views.
  fill(wasm.typedArrayFromHeap(out) as Float32Array, wasm.typedArrayFromHeap(x) as Float32Array, runs);
  return out;
};

const copyRunsCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as CpuBackendLike;
  const { runs, shape } = attrsOf(attrs);
  const x = inputX(inputs);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fill(values, cpu.data.get(x.dataId).values as Float32Array, runs);
  return cpu.makeTensorInfo(shape, 'float32', values);
};

/** Registrations of the helper for the backends the kernels in this folder run on. */
export const copyRunsConfigs: KernelConfig[] = [
  { kernelName: COPY_RUNS, backendName: 'wasm', kernelFunc: copyRunsWasm },
  { kernelName: COPY_RUNS, backendName: 'cpu', kernelFunc: copyRunsCpu },
];
