import type { AveragedStep, Examples, ShareGradients, StepLossSettings } from './replicaStep.js';

/** A weight or optimizer slot's values, to rebuild it in another thread. */
export interface WeightValues {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

/** Coordinator to replica worker. */
export type ReplicaRequest =
  | {
      kind: 'start';
      /** The tfjs backend the coordinator trains on. */
      backend: string;
      /** The model's architecture (`LayersModel.toJSON`). */
      topology: string;
      /** Every weight, in the model's order. */
      weights: WeightValues[];
      /** The coordinator's Adam slots and iteration count (`Optimizer.getWeights`). */
      optimizer: WeightValues[];
      learningRate: number;
    }
  | { kind: 'gradients'; shares: Examples[]; settings: StepLossSettings; size: number }
  | { kind: 'apply'; step: AveragedStep; learningRate: number }
  | { kind: 'weights' };

/** Replica worker to coordinator. */
export type ReplicaReply =
  | { kind: 'started' }
  | { kind: 'gradients'; shares: ShareGradients[] }
  | { kind: 'applied' }
  | { kind: 'weights'; weights: Float32Array[] };

/** The buffers a reply can move instead of copying. */
export function replicaTransfers(reply: ReplicaReply): ArrayBuffer[] {
  if (reply.kind === 'gradients')
    return reply.shares.flatMap((s) => [...s.gradients, ...s.statistics].map((a) => a.buffer as ArrayBuffer));
  if (reply.kind === 'weights') return reply.weights.map((a) => a.buffer as ArrayBuffer);
  return [];
}
