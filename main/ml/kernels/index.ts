export {
  conv2dBackpropFilterKernel,
  conv2dBackpropFilterNhwc,
  type BackpropFilterTuning,
} from './conv2dBackpropFilter.js';
export { copyRuns, COPY_RUNS } from './copyRuns.js';
export { conv2dBackpropInputKernel, conv2dBackpropInputNhwc } from './conv2dBackpropInput.js';
export { dilatedConv2d } from './dilatedConv2d.js';
export {
  registerWasmTrainingKernels,
  useFastConv2DBackpropInput,
  wasmTrainingKernelsRegistered,
} from './register.js';
