import { seededRandom } from '../../main/evaluation/bootstrap.js';
import { tf } from '../../main/ml/backend/tf.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { CROP_DEFAULTS, prepareSample, sampleBatch } from '../../main/training/batchSampler.js';
import { ReplicaGroup } from '../../main/training/ReplicaGroup.js';

export interface ThroughputRequest {
  size: number;
  steps: number;
  batchSize: number;
  /** Shares of each batch (data-parallel replicas) and the threads that compute them; 1 and 1 by default. */
  replicas?: number;
  threads?: number;
  /** Workers that start timing together: each waits here, after its warm-up, until all have arrived. */
  barrier?: { arrived: Int32Array; parties: number };
}

export interface Throughput {
  samples: number;
  /** Start and end of the timed steps, ms since the epoch (comparable across threads). */
  startedAt: number;
  endedAt: number;
}

/**
 * Times training steps (width x0.25, weighted cross-entropy, Adam) on a synthetic sample, computed
 * by this thread and `threads - 1` replica workers, after one warm-up step. The backend must be
 * selected already.
 */
export async function timeTrainingSteps(request: ThroughputRequest): Promise<Throughput> {
  const { size, steps, batchSize } = request;
  const model = createDensePredictionModel({ widthMultiplier: 0.25 });
  const optimizer = tf.train.adam(1e-3);
  const group = await ReplicaGroup.start(model, optimizer, {
    replicas: request.replicas ?? 1,
    threads: request.threads ?? 1,
  });
  const scan = new Uint8Array(1024 * 1024).map((_, i) => (i % 1024 < 600 ? 90 + (i % 37) : 0));
  const mask = new Uint8Array(1024 * 1024);
  mask.fill(255, 500 * 1024 + 300, 500 * 1024 + 340);
  const samples = [prepareSample({ rows: 1024, columns: 1024, scan, mask })];
  const settings = { positiveWeight: 10, softIouWeight: 0 };
  const step = async (i: number) => {
    const batch = sampleBatch(
      samples,
      batchSize,
      0.5,
      { ...CROP_DEFAULTS, size, sampleSpacingMm: 0.2, modelSpacingMm: 0.6 },
      seededRandom(i),
    );
    await group.step({ ...batch, count: batchSize }, settings, size, 1e-3);
  };
  await step(0); // warm-up
  if (request.barrier) {
    const { arrived, parties } = request.barrier;
    Atomics.add(arrived, 0, 1);
    Atomics.notify(arrived, 0);
    for (let seen = Atomics.load(arrived, 0); seen < parties; seen = Atomics.load(arrived, 0)) {
      Atomics.wait(arrived, 0, seen);
    }
  }
  const startedAt = performance.timeOrigin + performance.now();
  for (let i = 1; i <= steps; i++) await step(i);
  const endedAt = performance.timeOrigin + performance.now();
  await group.close();
  model.dispose();
  optimizer.dispose();
  return { samples: steps * batchSize, startedAt, endedAt };
}

/** Samples per second of one or more timed runs taken together. */
export function samplesPerSecond(runs: readonly Throughput[]): number {
  const start = Math.min(...runs.map((r) => r.startedAt));
  const end = Math.max(...runs.map((r) => r.endedAt));
  return runs.reduce((n, r) => n + r.samples, 0) / ((end - start) / 1000);
}
