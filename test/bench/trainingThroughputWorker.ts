/** Bench worker: times training steps in its own thread (its own wasm instance, as a trainer worker has). */
import { serveWorkerRequests } from '../../main/common/serveWorkerRequests.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { timeTrainingSteps, type Throughput, type ThroughputRequest } from './trainingThroughput.js';

serveWorkerRequests<ThroughputRequest, Throughput>(async (request) => {
  await selectBackend({ prefer: 'wasm' });
  return { result: await timeTrainingSteps(request) };
});
