import { ModelLoadError, modelFolderLoader } from '../registry/modelFolder.js';
import type { ModelCard } from '../api/models.js';
import { tf } from '../ml/backend/tf.js';
import '../ml/model/registerLayers.js';
import type { TileRunner } from './predictProbabilityMap.js';

/**
 * Loads a model version's network from its folder (weights checked against the card). A model
 * whose output is not one channel of logits is refused as mismatched.
 */
export async function loadSegmentationModel(folder: string, card: ModelCard): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(modelFolderLoader(folder, card));
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(`${folder}: cannot build the model (${(error as Error).message})`);
  }
  const output = model.outputs[0]?.shape;
  if (model.outputs.length !== 1 || output?.length !== 4 || output[3] !== 1) {
    model.dispose();
    throw new ModelLoadError(
      `${folder}: not a segmentation model (expected one 1-channel output, got ${JSON.stringify(output)})`,
    );
  }
  return model;
}

/**
 * A {@link TileRunner} over a network whose logits come out at half resolution: logits are
 * resized to the tile, then a single sigmoid gives probabilities.
 */
export function tileRunnerFor(model: tf.LayersModel): TileRunner {
  return async (tiles, count, size) => {
    const probabilities = tf.tidy(() => {
      const input = tf.tensor4d(tiles, [count, size, size, 1]);
      const logits = model.predict(input) as tf.Tensor4D;
      return tf.sigmoid(tf.image.resizeBilinear(logits, [size, size], false, true));
    });
    try {
      return (await probabilities.data()) as Float32Array;
    } finally {
      probabilities.dispose();
    }
  };
}
