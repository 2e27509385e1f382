import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { tf } from '../ml/backend/tf.js';

/** Where a training run is, so it can resume exactly there. */
export interface TrainingState {
  step: number;
  /** State of the seeded sampler's generator. */
  randomState: number;
  /** Mean loss of recent steps, for charts after a restart. */
  lossHistory: { step: number; loss: number }[];
  bestValidation: { step: number; metric: number } | null;
  [key: string]: unknown;
}

const LATEST = 'latest';
const PREVIOUS = 'latest.previous';

/**
 * Writes model weights, optimizer slots and the run's state into `<dir>/latest`, replacing the
 * previous checkpoint only once the new one is complete: a crash at any point leaves one whole
 * checkpoint (`latest`, or `latest.previous` during the swap).
 */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainingState,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.checkpoint-${process.pid}-${Date.now()}`);
  mkdirSync(temp);
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        writeFileAtomic(
          join(temp, 'model.json'),
          JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs }),
        );
        writeFileAtomic(
          join(temp, 'weights.bin'),
          new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!)),
        );
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const slots = await optimizer.getWeights();
    const encoded = await tf.io.encodeWeights(slots);
    writeFileAtomic(join(temp, 'optimizer.json'), JSON.stringify(encoded.specs));
    writeFileAtomic(
      join(temp, 'optimizer.bin'),
      new Uint8Array(tf.io.CompositeArrayBuffer.join(encoded.data)),
    );
    writeFileAtomic(join(temp, 'state.json'), JSON.stringify(state));
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const latest = join(dir, LATEST);
  const previous = join(dir, PREVIOUS);
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(latest)) renameSync(latest, previous);
  renameSync(temp, latest);
  rmSync(previous, { recursive: true, force: true });
}

/** The newest complete checkpoint folder in `dir`, or null. */
export function findCheckpoint(dir: string): string | null {
  for (const name of [LATEST, PREVIOUS]) {
    const folder = join(dir, name);
    if (existsSync(join(folder, 'state.json'))) return folder;
  }
  return null;
}

/** Restores weights into `model` and slots into `optimizer`; returns the saved state. */
export async function loadCheckpoint(
  folder: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<TrainingState> {
  const modelJson = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as {
    weightSpecs: tf.io.WeightsManifestEntry[];
  };
  const weights = readFileSync(join(folder, 'weights.bin'));
  const named = tf.io.decodeWeights(new Uint8Array(weights).buffer, modelJson.weightSpecs);
  // By position, not by name: layer names carry process-wide counters, the architecture's order does not.
  const saved = modelJson.weightSpecs.map((spec) => named[spec.name]!);
  if (saved.length !== model.weights.length) {
    throw new Error(`${folder}: checkpoint has ${saved.length} weights, the model ${model.weights.length}`);
  }
  model.weights.forEach((w, i) => {
    if (saved[i]!.shape.join('x') !== w.shape.join('x')) {
      throw new Error(
        `${folder}: checkpoint weight ${i} is ${saved[i]!.shape.join('x')}, the model's ${w.originalName} ${w.shape.join('x')}`,
      );
    }
  });
  model.setWeights(saved);
  Object.values(named).forEach((t) => t.dispose());
  const optimizerSpecs = JSON.parse(
    readFileSync(join(folder, 'optimizer.json'), 'utf8'),
  ) as tf.io.WeightsManifestEntry[];
  const optimizerData = readFileSync(join(folder, 'optimizer.bin'));
  const slots = tf.io.decodeWeights(new Uint8Array(optimizerData).buffer, optimizerSpecs);
  await restoreOptimizer(
    optimizer,
    optimizerSpecs.map((spec) => ({ name: spec.name, tensor: slots[spec.name]! })),
  );
  return JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8')) as TrainingState;
}

/**
 * `optimizer.setWeights`, made exact for Adam: tfjs restores Adam's running powers of beta1 and
 * beta2 as pow(beta, t + 1), while a run that never stopped multiplied them by beta once a step,
 * and the two differ in the last bit (0.999^3, 0.999^6 in float32). Adam amplifies that into
 * visibly different weights a few steps later, so the powers are rebuilt by the same repeated
 * multiplication: a resumed run then continues bit for bit as an uninterrupted one.
 */
export async function restoreOptimizer(
  optimizer: tf.Optimizer,
  weights: Parameters<tf.Optimizer['setWeights']>[0],
): Promise<void> {
  await optimizer.setWeights(weights);
  if (!(optimizer instanceof tf.AdamOptimizer)) return;
  // Adam's own fields (TypeScript calls them private), the ones its applyGradients updates.
  const adam = optimizer as unknown as {
    beta1: number;
    beta2: number;
    accBeta1: tf.Variable;
    accBeta2: tf.Variable;
  };
  tf.tidy(() => {
    for (const [variable, beta] of [
      [adam.accBeta1, adam.beta1],
      [adam.accBeta2, adam.beta2],
    ] as const) {
      let power = tf.scalar(beta);
      for (let t = 0; t < optimizer.iterations; t++) power = tf.mul(power, beta);
      variable.assign(power);
    }
  });
}
