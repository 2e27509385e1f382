import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import type { ModelCard } from '../api/models.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { sha256Hex } from '../common/sha256.js';
import { tf } from '../ml/backend/tf.js';
import { encodeFloat16 } from './float16.js';
import { modelCardSchema } from './modelCardSchema.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const CARD_FILE = 'card.json';

/** A model folder that cannot be used; the message names the folder and the reason. */
export class ModelLoadError extends Error {}

export type CardWithoutWeights = Omit<ModelCard, 'weights'>;

/**
 * Writes model.json, weights.bin and card.json into `folder`, all or nothing: the files go into a
 * sibling temp folder that is renamed into place. The card gets the weights' sha256.
 */
export async function saveModelFolder(
  model: { save: (handler: io.IOHandler) => Promise<unknown> },
  folder: string,
  card: CardWithoutWeights,
  dtype: 'float32' | 'float16' = 'float32',
): Promise<ModelCard> {
  if (existsSync(folder)) throw new Error(`${folder}: a model folder already exists there`);
  let artifacts: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error('the model produced no weights');
  const { specs, data } =
    dtype === 'float16'
      ? toFloat16(artifacts.weightSpecs, artifacts.weightData)
      : {
          specs: artifacts.weightSpecs,
          data: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
        };
  const fullCard: ModelCard = {
    ...card,
    weights: { file: WEIGHTS_FILE, sha256: sha256Hex(data), dtype, bytes: data.byteLength },
  };
  modelCardSchema.parse(fullCard);
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };

  const temp = join(dirname(folder), `.${basename(folder)}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(temp, { recursive: true });
  try {
    writeFileAtomic(join(temp, WEIGHTS_FILE), data);
    writeFileAtomic(join(temp, MODEL_JSON), JSON.stringify(modelJson));
    writeFileAtomic(join(temp, CARD_FILE), `${JSON.stringify(fullCard, null, 2)}\n`);
    renameSync(temp, folder);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return fullCard;
}

/** Reads and checks a card; throws {@link ModelLoadError} naming the folder and the problem. */
export function readModelCard(folder: string): ModelCard {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(folder, CARD_FILE), 'utf8'));
  } catch (error) {
    throw new ModelLoadError(`${folder}: cannot read ${CARD_FILE} (${(error as Error).message})`);
  }
  const parsed = modelCardSchema.safeParse(raw);
  if (!parsed.success)
    throw new ModelLoadError(
      `${folder}: invalid ${CARD_FILE} (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  return parsed.data;
}

/**
 * The tfjs IOHandler that loads a model folder after checking the weights against the card's
 * sha256, so a truncated or swapped weights file is refused before any layer is built.
 */
export function modelFolderLoader(folder: string, card: ModelCard): io.IOHandler {
  return {
    load: async () => {
      let modelJson: {
        modelTopology?: object;
        weightsManifest?: io.WeightsManifestConfig;
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
      };
      let data: Buffer;
      try {
        modelJson = JSON.parse(readFileSync(join(folder, MODEL_JSON), 'utf8'));
        data = readFileSync(join(folder, card.weights.file));
      } catch (error) {
        throw new ModelLoadError(`${folder}: cannot read the model files (${(error as Error).message})`);
      }
      if (sha256Hex(data) !== card.weights.sha256) {
        throw new ModelLoadError(
          `${folder}: ${card.weights.file} does not match the sha256 in its card (corrupt or replaced)`,
        );
      }
      const specs = modelJson.weightsManifest?.flatMap((group) => group.weights);
      if (!modelJson.modelTopology || !specs)
        throw new ModelLoadError(`${folder}: ${MODEL_JSON} lacks a topology or weights manifest`);
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: specs,
        weightData: new Uint8Array(data).buffer,
        ...(modelJson.format ? { format: modelJson.format } : {}),
      };
    },
  };
}

function toFloat16(
  specs: io.WeightsManifestEntry[],
  weightData: io.WeightData,
): { specs: io.WeightsManifestEntry[]; data: Uint8Array } {
  const source = tf.io.CompositeArrayBuffer.join(weightData);
  const parts: Uint8Array[] = [];
  let offset = 0;
  const outSpecs = specs.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32' || spec.quantization) {
      const bytes = size * 4;
      parts.push(new Uint8Array(source.slice(offset, offset + bytes)));
      offset += bytes;
      return spec;
    }
    const values = new Float32Array(source.slice(offset, offset + size * 4));
    offset += size * 4;
    parts.push(new Uint8Array(encodeFloat16(values).buffer));
    return { ...spec, quantization: { dtype: 'float16' as const } };
  });
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return { specs: outSpecs, data };
}
