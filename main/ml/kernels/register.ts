import type { KernelConfig } from '@tensorflow/tfjs';
// wasm registers its kernels when its module loads, overwriting same-named registrations: load it
// first so ours are the ones that stay.
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../backend/tf.js';
import { conv2dBackpropFilterWasmConfig } from './conv2dBackpropFilter.js';
import { conv2dBackpropInputWasmConfig } from './conv2dBackpropInput.js';
import { copyRunsConfigs } from './copyRuns.js';

// wasm's own Conv2DBackpropInput, kept so it can be put back (benchmarks, bisecting a numeric issue).
let builtinBackpropInput: KernelConfig | undefined;
let registered = false;

/**
 * Registers on the wasm backend the kernels training needs: `Conv2DBackpropFilter` (wasm has none)
 * and a fast `Conv2DBackpropInput` (replacing wasm's naive one; transposed-conv layers use it at
 * inference too). Idempotent, and safe before or after the wasm backend is initialised.
 *
 * Not fixed here, for the trainer to know:
 * - wasm `MaxPoolGrad` routes the gradient wrongly in a window whose maximum is <= 0. Harmless where
 *   pools follow a ReLU (every pool in the seed model does); don't pool raw pre-activations on wasm.
 * - Dilated convolutions have no gradient in tfjs on any backend; use `dilatedConv2d` /
 *   the `DilatedConv2D` layer (space-to-batch form) instead of `dilationRate`.
 * - `LayersModel.compile()` called again leaks the previous optimizer's variables: compile once,
 *   or dispose `model.optimizer` before recompiling.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of copyRunsConfigs) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  tf.registerKernel(conv2dBackpropFilterWasmConfig);
  useFastConv2DBackpropInput(true);
  registered = true;
}

/**
 * Switches wasm's `Conv2DBackpropInput` between this module's fast version (`true`) and the
 * built-in one (`false`).
 */
export function useFastConv2DBackpropInput(fast: boolean): void {
  const current = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (
    builtinBackpropInput === undefined &&
    current !== undefined &&
    current !== conv2dBackpropInputWasmConfig
  ) {
    builtinBackpropInput = current;
  }
  const wanted = fast ? conv2dBackpropInputWasmConfig : builtinBackpropInput;
  if (wanted === undefined || current === wanted) return;
  if (current !== undefined) tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel(wanted);
  // A kernel registered after its backend initialised never gets its setup call; wasm's own kernel
  // needs it to bind its C++ function.
  const wasmBackend = tf.engine().registry['wasm'];
  if (!fast && wasmBackend !== undefined) wanted.setupFunc?.(wasmBackend);
}

/** Whether {@link registerWasmTrainingKernels} has run in this process. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
