export { convFlops, type LayerFlops, type ModelFlops } from './flops.js';
export { DilatedConv2D, type DilatedConv2DArgs } from './DilatedConv2D.js';
export { ResizeToReference, registerCustomLayers, type ResizeToReferenceArgs } from './layers.js';
export {
  buildSeedModel,
  countTrainableParams,
  paddedSize,
  SIZE_MULTIPLE,
  type SeedModelOptions,
} from './seedModel.js';
export { loadModelFromArtifacts, saveModelArtifacts } from './serialization.js';
export {
  countModelFlops,
  createDensePredictionModel,
  INPUT_MULTIPLE,
  type DensePredictionModelOptions,
} from './densePredictionModel.js';
