/**
 * worker_threads entry of one training replica (see `ReplicaGroup`): it holds a copy of the model
 * and its own Adam, computes the gradients of the batch shares it is given, and applies the
 * combined step that every replica applies.
 */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { selectBackend } from '../ml/backend/selectBackend.js';
import { tf } from '../ml/backend/tf.js';
import '../ml/model/registerLayers.js';
import { restoreOptimizer } from './checkpoint.js';
import { applyAveragedStep, sharesGradients } from './replicaStep.js';
import {
  replicaTransfers,
  type ReplicaReply,
  type ReplicaRequest,
  type WeightValues,
} from './replicaProtocol.js';

let replica: { model: tf.LayersModel; optimizer: tf.Optimizer } | null = null;

function toTensor(weight: WeightValues): tf.Tensor {
  return tf.tensor(weight.values, weight.shape, weight.values instanceof Int32Array ? 'int32' : 'float32');
}

async function handle(request: ReplicaRequest): Promise<ReplicaReply> {
  if (request.kind === 'start') {
    await selectBackend({ prefer: request.backend });
    const model = await tf.models.modelFromJSON(
      JSON.parse(request.topology) as Parameters<typeof tf.models.modelFromJSON>[0],
    );
    const weights = request.weights.map(toTensor);
    model.setWeights(weights);
    tf.dispose(weights);
    const optimizer = tf.train.adam(request.learningRate);
    await restoreOptimizer(
      optimizer,
      request.optimizer.map((w) => ({ name: w.name, tensor: toTensor(w) })),
    );
    replica = { model, optimizer };
    return { kind: 'started' };
  }
  if (!replica) throw new Error('training replica: not started');
  if (request.kind === 'gradients') {
    return {
      kind: 'gradients',
      shares: sharesGradients(replica.model, request.shares, request.settings, request.size),
    };
  }
  if (request.kind === 'apply') {
    applyAveragedStep(replica.model, replica.optimizer, request.step, request.learningRate);
    return { kind: 'applied' };
  }
  return { kind: 'weights', weights: replica.model.getWeights().map((w) => Float32Array.from(w.dataSync())) };
}

serveWorkerRequests<ReplicaRequest, ReplicaReply>(async (request) => {
  const result = await handle(request);
  return { result, transfer: replicaTransfers(result) };
});
