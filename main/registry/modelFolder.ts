import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import type { MemberCombination, ModelCard, ModelMember, WeightsFile } from '../api/models.js';
import { MODEL_TOPOLOGY_FILE, membersOf } from '../api/modelMembers.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { sha256Hex } from '../common/sha256.js';
import { tf } from '../ml/backend/tf.js';
import { encodeFloat16 } from './float16.js';
import { modelCardSchema } from './modelCardSchema.js';

export const MODEL_JSON = MODEL_TOPOLOGY_FILE;
export const WEIGHTS_FILE = 'weights.bin';
export const CARD_FILE = 'card.json';

/** A model folder that cannot be used; the message names the folder and the reason. */
export class ModelLoadError extends Error {}

/** A card less what saving a network fills in: its weights and its topology's sha256. */
export type CardWithoutWeights = Omit<ModelCard, 'weights' | 'topologySha256'>;

/**
 * A network ready to be written: its model.json and that file's sha256, its weights bytes and
 * their entry in the card.
 */
interface SerialisedNetwork {
  modelJson: string;
  topologySha256: string;
  data: Uint8Array;
  weights: WeightsFile;
}

type SavableModel = { save: (handler: io.IOHandler) => Promise<unknown> };

async function serialiseNetwork(
  model: SavableModel,
  weightsFile: string,
  dtype: 'float32' | 'float16',
): Promise<SerialisedNetwork> {
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
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
  };
  const text = JSON.stringify(modelJson);
  return {
    modelJson: text,
    // The bytes written: writeFileAtomic writes a string as UTF-8, as sha256Hex hashes it.
    topologySha256: sha256Hex(text),
    data,
    weights: { file: weightsFile, sha256: sha256Hex(data), dtype, bytes: data.byteLength },
  };
}

/**
 * Writes a model folder's files all or nothing: they go into a sibling temp folder (each file
 * written atomically) that is renamed into place.
 */
function writeModelFolder(folder: string, files: [name: string, data: string | Uint8Array][]): void {
  if (existsSync(folder)) throw new Error(`${folder}: a model folder already exists there`);
  const temp = join(dirname(folder), `.${basename(folder)}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(temp, { recursive: true });
  try {
    for (const [name, data] of files) writeFileAtomic(join(temp, name), data);
    renameSync(temp, folder);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Writes model.json, weights.bin and card.json into `folder`, all or nothing. The card gets the
 * sha256 of the weights and of model.json.
 */
export async function saveModelFolder(
  model: SavableModel,
  folder: string,
  card: CardWithoutWeights,
  dtype: 'float32' | 'float16' = 'float32',
): Promise<ModelCard> {
  const network = await serialiseNetwork(model, WEIGHTS_FILE, dtype);
  const fullCard: ModelCard = {
    ...card,
    weights: network.weights,
    topologySha256: network.topologySha256,
  };
  modelCardSchema.parse(fullCard);
  writeModelFolder(folder, [
    [WEIGHTS_FILE, network.data],
    [MODEL_JSON, network.modelJson],
    [CARD_FILE, `${JSON.stringify(fullCard, null, 2)}\n`],
  ]);
  return fullCard;
}

/** A member to save: its network and what the card says about it (its files' entries are filled in). */
export interface MemberToSave extends Omit<ModelMember, 'topology' | 'weights' | 'topologySha256'> {
  model: SavableModel;
  dtype?: 'float32' | 'float16';
}

/**
 * Writes a multi-member model folder, all or nothing: the first member as model.json and
 * weights.bin (so the top level of the card repeats it), each other member as `<name>.model.json`
 * and `<name>.weights.bin`, and the card with every member's weights and both files' sha256.
 */
export async function saveMultiMemberFolder(
  members: readonly MemberToSave[],
  folder: string,
  card: Omit<
    CardWithoutWeights,
    'architecture' | 'widthMultiplier' | 'inputPixelSpacingMm' | 'normalisation'
  >,
  combination: MemberCombination = 'max',
): Promise<ModelCard> {
  const files: [string, string | Uint8Array][] = [];
  const cardMembers: ModelMember[] = [];
  for (const [i, { model, dtype, ...described }] of members.entries()) {
    const topology = i === 0 ? MODEL_JSON : `${described.name}.model.json`;
    const network = await serialiseNetwork(
      model,
      i === 0 ? WEIGHTS_FILE : `${described.name}.weights.bin`,
      dtype ?? 'float32',
    );
    files.push([network.weights.file, network.data], [topology, network.modelJson]);
    cardMembers.push({
      ...described,
      topology,
      topologySha256: network.topologySha256,
      weights: network.weights,
    });
  }
  const lead = cardMembers[0];
  if (!lead) throw new Error('a multi-member model needs members');
  const fullCard: ModelCard = {
    ...card,
    architecture: lead.architecture,
    widthMultiplier: lead.widthMultiplier,
    inputPixelSpacingMm: lead.inputPixelSpacingMm,
    normalisation: lead.normalisation,
    weights: lead.weights,
    topologySha256: lead.topologySha256,
    members: cardMembers,
    combination,
  };
  modelCardSchema.parse(fullCard);
  files.push([CARD_FILE, `${JSON.stringify(fullCard, null, 2)}\n`]);
  writeModelFolder(folder, files);
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

/** The two files of one network, as a card pins them. */
type PinnedNetwork = Pick<ModelMember, 'topology' | 'topologySha256' | 'weights'>;

/** A network's files as read from its folder. */
interface NetworkFiles {
  topology: Buffer;
  weights: Buffer;
}

/** Reads a network's two files; throws {@link ModelLoadError} naming `label` and the file. */
function readNetworkFiles(folder: string, network: PinnedNetwork, label: string): NetworkFiles {
  try {
    return {
      topology: readFileSync(join(folder, network.topology)),
      weights: readFileSync(join(folder, network.weights.file)),
    };
  } catch (error) {
    throw new ModelLoadError(`${label}: cannot read the model files (${(error as Error).message})`);
  }
}

/**
 * Why a network's files are not the ones its card pins (the weights' sha256, and the topology's
 * where the card records it), or null when both match.
 *
 * The rule for a card without `topologySha256`: such a card was written before cards recorded it
 * (an older release's shipped card, a candidate trained by an older version), and its model.json
 * is trusted on its weights' sha256 alone, as it always was, so no registered model is lost. A card
 * that records it is always checked. Every card written now records it, and a registered card
 * that pins a topology never accepts a change that drops or alters the pin (cardChange.ts).
 */
function pinnedFilesProblem(label: string, network: PinnedNetwork, files: NetworkFiles): string | null {
  const replaced = (file: string) =>
    `${label}: ${file} does not match the sha256 in its card (corrupt or replaced)`;
  if (sha256Hex(files.weights) !== network.weights.sha256) return replaced(network.weights.file);
  if (network.topologySha256 !== undefined && sha256Hex(files.topology) !== network.topologySha256)
    return replaced(network.topology);
  return null;
}

/**
 * Why the folder's files are not the ones its card pins (a file missing, or its sha256 not the
 * card's; see {@link pinnedFilesProblem}), or null when every member's match. Hashes synchronously:
 * for a check made once in a while (a shipped card registered or changed), not per analysis.
 */
export function pinnedFilesMismatch(folder: string, card: ModelCard): string | null {
  for (const member of membersOf(card)) {
    const label = memberLabel(folder, member, card);
    let files: NetworkFiles;
    try {
      files = readNetworkFiles(folder, member, label);
    } catch (error) {
      return (error as Error).message;
    }
    const problem = pinnedFilesProblem(label, member, files);
    if (problem) return problem;
  }
  return null;
}

/**
 * The tfjs IOHandler that loads a model folder after checking its files against the card's sha256
 * (see {@link pinnedFilesProblem}), so a truncated or swapped weights file or an edited model.json
 * is refused before any layer is built. For a multi-member card this is its first member;
 * {@link memberLoader} loads any member.
 */
export function modelFolderLoader(folder: string, card: ModelCard): io.IOHandler {
  return networkLoader(folder, membersOf(card)[0]!, folder);
}

/** How errors name a member: the folder, and the member where a model has several. */
export function memberLabel(folder: string, member: ModelMember, card: ModelCard): string {
  return card.members ? `${folder}: member ${member.name} (${member.role})` : folder;
}

/** {@link modelFolderLoader} for one member of a model; errors name the folder and the member. */
export function memberLoader(folder: string, member: ModelMember, card: ModelCard): io.IOHandler {
  return networkLoader(folder, member, memberLabel(folder, member, card));
}

function networkLoader(
  folder: string,
  network: PinnedNetwork,
  /** How errors name what failed: the folder, and the member where there are several. */
  label: string,
): io.IOHandler {
  return {
    load: async () => {
      const files = readNetworkFiles(folder, network, label);
      const problem = pinnedFilesProblem(label, network, files);
      if (problem) throw new ModelLoadError(problem);
      let modelJson: {
        modelTopology?: object;
        weightsManifest?: io.WeightsManifestConfig;
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
      };
      try {
        modelJson = JSON.parse(files.topology.toString('utf8'));
      } catch (error) {
        throw new ModelLoadError(`${label}: ${network.topology} is not JSON (${(error as Error).message})`);
      }
      const specs = modelJson.weightsManifest?.flatMap((group) => group.weights);
      if (!modelJson.modelTopology || !specs)
        throw new ModelLoadError(`${label}: ${network.topology} lacks a topology or weights manifest`);
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: specs,
        weightData: new Uint8Array(files.weights).buffer,
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
