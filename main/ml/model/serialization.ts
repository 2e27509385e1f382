import { tf } from '../backend/tf.js';
import { registerCustomLayers } from './layers.js';

/**
 * Saves a model to in-memory artifacts (topology JSON + weight specs + one weight buffer): what a
 * file writer needs to produce model.json and weights.bin, since `file://` needs tfjs-node.
 */
export async function saveModelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: modelArtifactsInfo(artifacts) };
    }),
  );
  if (saved === undefined) throw new Error('saveModelArtifacts: the save handler was not called');
  return saved;
}

/** Loads a model from artifacts made by {@link saveModelArtifacts} (registers the custom layers first). */
export async function loadModelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  registerCustomLayers();
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

function modelArtifactsInfo(artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifactsInfo {
  const weightBytes = artifacts.weightData === undefined ? 0 : byteLength(artifacts.weightData);
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes:
      artifacts.modelTopology === undefined ? 0 : JSON.stringify(artifacts.modelTopology).length,
    weightSpecsBytes: artifacts.weightSpecs === undefined ? 0 : JSON.stringify(artifacts.weightSpecs).length,
    weightDataBytes: weightBytes,
  };
}

function byteLength(data: ArrayBuffer | ArrayBuffer[]): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
}
