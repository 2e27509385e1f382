import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../common/WorkerPool.js';
import { tf } from '../ml/backend/tf.js';
import type { ReplicaReply, ReplicaRequest, WeightValues } from './replicaProtocol.js';
import {
  applyAveragedStep,
  averageShares,
  sharesGradients,
  splitBatch,
  type Examples,
  type ShareGradients,
  type StepLossSettings,
} from './replicaStep.js';

function workerUrl(): URL {
  return new URL(`./replicaWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

/** Threads a training with `replicas` shares uses when none is asked for: one per share, at most one per core. */
export function defaultTrainingThreads(replicas: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(replicas, cores));
}

/**
 * Replicas (and threads) of a background fine-tune: one on a machine with fewer than 4 cores, so a
 * core stays free for the viewer and the server while it trains; two on 4 cores or more.
 */
export function backgroundTrainingReplicas(cores = availableParallelism()): number {
  return cores >= 4 ? 2 : 1;
}

function weightValues(name: string, tensor: tf.Tensor): WeightValues {
  const data = tensor.dataSync();
  return {
    name,
    shape: tensor.shape,
    values: data instanceof Int32Array ? Int32Array.from(data) : Float32Array.from(data),
  };
}

/**
 * Data-parallel training: every step's batch is split into `replicas` shares (`splitBatch`), the
 * gradient of each share is computed by one of `threads` threads, this one and `threads - 1`
 * replica workers (each holding a copy of the model and its own Adam), and every replica applies
 * the same combined step (`averageShares`), so their weights stay identical. The shares, not the
 * threads, define the result: one thread computing two shares gives the same model as two.
 * This thread's model and optimizer are the ones checkpointed, validated and saved.
 *
 * @example
 * const group = await ReplicaGroup.start(model, optimizer, { replicas: 2, threads: 2 });
 * try { const loss = await group.step(batch, settings, size, learningRate); } finally { await group.close(); }
 */
export class ReplicaGroup {
  private constructor(
    private readonly model: tf.LayersModel,
    private readonly optimizer: tf.Optimizer,
    private readonly replicas: number,
    private readonly workers: WorkerPool<ReplicaRequest, ReplicaReply>[],
  ) {}

  /** Starts the replica workers from the model's and optimizer's current state (after any resume). */
  static async start(
    model: tf.LayersModel,
    optimizer: tf.Optimizer,
    options: { replicas: number; threads: number },
  ): Promise<ReplicaGroup> {
    const threads = Math.max(1, Math.min(options.threads, options.replicas));
    const workers = Array.from(
      { length: threads - 1 },
      () => new WorkerPool<ReplicaRequest, ReplicaReply>(workerUrl(), 1, 'training replica'),
    );
    const group = new ReplicaGroup(model, optimizer, options.replicas, workers);
    if (workers.length === 0) return group;
    try {
      const slots = await optimizer.getWeights();
      const request: ReplicaRequest = {
        kind: 'start',
        backend: tf.getBackend(),
        topology: model.toJSON(undefined, true) as string,
        weights: model.weights.map((w) => weightValues(w.name, w.read())),
        optimizer: slots.map((slot) => weightValues(slot.name, slot.tensor)),
        learningRate: (optimizer as unknown as { learningRate: number }).learningRate,
      };
      await Promise.all(workers.map((worker) => worker.run(request)));
    } catch (error) {
      await group.close();
      throw error;
    }
    return group;
  }

  /** Threads computing shares, this one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** One optimizer step on a batch; returns the batch's loss. */
  async step(
    batch: Examples,
    settings: StepLossSettings,
    size: number,
    learningRate: number,
  ): Promise<number> {
    const shares = splitBatch(batch, this.replicas, size);
    // Share s is computed by thread s mod threads; thread 0 is this one.
    const sharesOf = (thread: number) => shares.filter((_, s) => s % this.threads === thread);
    const remote = this.workers.map((worker, i) => {
      const mine = sharesOf(i + 1);
      return worker.run(
        { kind: 'gradients', shares: mine, settings, size },
        {},
        mine.flatMap((share) => [share.images.buffer, share.labels.buffer] as ArrayBuffer[]),
      );
    });
    // Settled later with Promise.all; until then a failure must not count as unhandled.
    for (const reply of remote) reply.catch(() => undefined);
    const local = sharesGradients(this.model, sharesOf(0), settings, size);
    const replies = await Promise.all(remote);
    const byShare: ShareGradients[] = [];
    local.forEach((share, i) => (byShare[i * this.threads] = share));
    replies.forEach((reply, w) => {
      if (reply.kind !== 'gradients') throw new Error(`training replica: unexpected ${reply.kind} reply`);
      reply.shares.forEach((share, i) => (byShare[i * this.threads + w + 1] = share));
    });
    const combined = averageShares(byShare);
    const applied = this.workers.map((worker) => worker.run({ kind: 'apply', step: combined, learningRate }));
    for (const reply of applied) reply.catch(() => undefined);
    applyAveragedStep(this.model, this.optimizer, combined, learningRate);
    await Promise.all(applied);
    return combined.loss;
  }

  /** Every replica's weights (this thread's first), in the model's order. */
  async replicaWeights(): Promise<Float32Array[][]> {
    const own = this.model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    const others = await Promise.all(this.workers.map((worker) => worker.run({ kind: 'weights' })));
    return [own, ...others.map((reply) => (reply.kind === 'weights' ? reply.weights : []))];
  }

  /** Throws unless every replica holds exactly this thread's weights (checked before a checkpoint). */
  async checkReplicasAgree(): Promise<void> {
    const [own, ...others] = await this.replicaWeights();
    others.forEach((weights, w) => {
      const differs =
        weights.length !== own!.length || weights.some((values, i) => !sameValues(values, own![i]!));
      if (differs) throw new Error(`training replica ${w + 1} no longer holds the same weights as replica 0`);
    });
  }

  /** Ends the replica workers (a running step fails). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
