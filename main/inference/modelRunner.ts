import { ModelLoadError, memberLabel, memberLoader, modelFolderLoader } from '../registry/modelFolder.js';
import type { ModelCard, ModelMember } from '../api/models.js';
import { membersOf } from '../api/modelMembers.js';
import { tf } from '../ml/backend/tf.js';
import '../ml/model/registerLayers.js';
import type { TileRunner } from './predictProbabilityMap.js';

/**
 * Loads a model version's network from its folder (weights checked against the card). A model
 * whose output is not one channel of logits is refused as mismatched. For a multi-member card this
 * is its first member; inference loads them all with {@link loadModelMembers}.
 */
export async function loadSegmentationModel(folder: string, card: ModelCard): Promise<tf.LayersModel> {
  return loadNetwork(modelFolderLoader(folder, card), folder);
}

/** A member network, loaded. */
export interface LoadedMember {
  member: ModelMember;
  model: tf.LayersModel;
}

/**
 * Loads every network of a model version (a single-network card gives one member). Every
 * member's weights are checked against the card before any member is used; a bad one fails the
 * whole model with an error naming the folder and the member, and nothing stays loaded.
 */
export async function loadModelMembers(folder: string, card: ModelCard): Promise<LoadedMember[]> {
  const loaded: LoadedMember[] = [];
  try {
    for (const member of membersOf(card)) {
      const network = await loadNetwork(
        memberLoader(folder, member, card),
        memberLabel(folder, member, card),
      );
      loaded.push({ member, model: network });
    }
  } catch (error) {
    for (const { model } of loaded) model.dispose();
    throw error;
  }
  return loaded;
}

async function loadNetwork(loader: tf.io.IOHandler, label: string): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(loader);
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(`${label}: cannot build the model (${(error as Error).message})`);
  }
  const output = model.outputs[0]?.shape;
  if (model.outputs.length !== 1 || output?.length !== 4 || output[3] !== 1) {
    model.dispose();
    throw new ModelLoadError(
      `${label}: not a segmentation model (expected one 1-channel output, got ${JSON.stringify(output)})`,
    );
  }
  return model;
}

/**
 * Flip test-time augmentation around a runner: each tile's probabilities are the mean of the
 * tile's and the mirrored tile's (mirrored back). The two passes run one after the other, so the
 * network's peak memory stays that of one pass.
 */
export function mirrorAveraged(run: TileRunner): TileRunner {
  const mirrorRows = (source: Float32Array, lines: number, size: number) => {
    const out = new Float32Array(source.length);
    for (let line = 0; line < lines; line++) {
      const o = line * size;
      for (let c = 0; c < size; c++) out[o + c] = source[o + size - 1 - c]!;
    }
    return out;
  };
  return async (tiles, count, size) => {
    const direct = await run(tiles, count, size);
    const mirrored = mirrorRows(
      await run(mirrorRows(tiles, count * size, size), count, size),
      count * size,
      size,
    );
    for (let i = 0; i < direct.length; i++) direct[i] = (direct[i]! + mirrored[i]!) / 2;
    return direct;
  };
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
