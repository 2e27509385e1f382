export { conv2dBackpropFilterKernel, conv2dBackpropFilterNhwc } from './conv2dBackpropFilter.js';
export { conv2dBackpropInputKernel, conv2dBackpropInputNhwc } from './conv2dBackpropInput.js';
export { dilatedConv2d } from './dilatedConv2d.js';
export { registerWasmTrainingKernels, useFastConv2DBackpropInput, wasmTrainingKernelsRegistered } from './register.js';
