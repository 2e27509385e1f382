import { join } from 'node:path';
import type { MemberRole, ModelCard } from '../../main/api/models.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import type { tf } from '../../main/ml/backend/tf.js';
import { saveModelFolder, saveMultiMemberFolder } from '../../main/registry/modelFolder.js';

/** Width of the test networks. */
export const TINY_WIDTH = 0.125;

/**
 * An untrained, narrow network (a real one, real weights); its predictions mean nothing.
 * `logitBias` raises the whole map, so tests that need AI findings get some (where is arbitrary).
 */
export function tinyNetwork(options: { seed?: number; logitBias?: number } = {}): tf.LayersModel {
  const model = createDensePredictionModel({ widthMultiplier: TINY_WIDTH, seed: options.seed ?? 1 });
  if (options.logitBias !== undefined) {
    const logits = model.getLayer('logits');
    const [kernel, bias] = logits.getWeights();
    if (!kernel || !bias) throw new Error('the logits layer has no bias');
    const raised = bias.add(options.logitBias);
    logits.setWeights([kernel, raised]);
    raised.dispose();
  }
  return model;
}

/** Saves a {@link tinyNetwork} as a model folder, for tests that need a model version to exist. */
export async function saveTinyModel(
  shippedDir: string,
  id: string,
  options: {
    seed?: number;
    createdAt?: string;
    logitBias?: number;
    /** The card's validation metrics (default none). */
    validation?: ModelCard['validation'];
    /** Default 0.4 mm. */
    inputPixelSpacingMm?: number;
    /** Saves this network instead of a new one (the caller disposes it). */
    network?: tf.LayersModel;
    dtype?: 'float32' | 'float16';
  } = {},
): Promise<ModelCard> {
  const model = options.network ?? tinyNetwork(options);
  const card = await saveModelFolder(
    model,
    join(shippedDir, id),
    {
      id,
      parentId: null,
      createdAt: options.createdAt ?? '2026-01-01T00:00:00.000Z',
      architecture: 'scuccimarra-3.9.4.01',
      widthMultiplier: TINY_WIDTH,
      inputPixelSpacingMm: options.inputPixelSpacingMm ?? 0.4,
      normalisation: { offset: 127, scale: 255 },
      trainingData: { description: 'untrained test model', images: 0, patients: 0 },
      validation: options.validation ?? null,
      thresholds: { image: 0.5, finding: 0.2 },
    },
    options.dtype,
  );
  if (!options.network) model.dispose();
  return card;
}

/** A member of {@link saveTinyMultiMemberModel}. */
export interface TinyMember {
  name: string;
  role: MemberRole;
  inputPixelSpacingMm: number;
  /** The caller disposes it. */
  network: tf.LayersModel;
  dtype?: 'float32' | 'float16';
}

/** Saves tiny networks as the members of one model folder (maps combined by maximum). */
export async function saveTinyMultiMemberModel(
  dir: string,
  id: string,
  members: readonly TinyMember[],
  /** The combined model's validation metrics (default none). */
  validation: ModelCard['validation'] = null,
): Promise<ModelCard> {
  return saveMultiMemberFolder(
    members.map(({ network, ...member }) => ({
      ...member,
      model: network,
      architecture: 'scuccimarra-3.9.4.01',
      widthMultiplier: TINY_WIDTH,
      normalisation: { offset: 127, scale: 255 },
    })),
    join(dir, id),
    {
      id,
      parentId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      trainingData: { description: 'untrained test model', images: 0, patients: 0 },
      validation,
      thresholds: { image: 0.5, finding: 0.2 },
    },
  );
}
