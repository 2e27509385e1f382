export { countModelFlops, type LayerFlops, type ModelFlops } from './flops.js';
export {
  DilatedConv2D,
  ResizeToReference,
  registerCustomLayers,
  type DilatedConv2DArgs,
  type InitializerName,
  type ResizeToReferenceArgs,
} from './layers.js';
export { buildSeedModel, countTrainableParams, paddedSize, SIZE_MULTIPLE, type SeedModelOptions } from './seedModel.js';
export { loadModelFromArtifacts, saveModelArtifacts } from './serialization.js';
