/** worker_threads entry that runs one training job; terminating the worker cancels it (the checkpoint stays). */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { selectBackend } from '../ml/backend/selectBackend.js';
import { trainModel } from './trainModel.js';
import type { TrainingJobSpec, TrainingProgress, TrainingResult } from './trainingProtocol.js';

serveWorkerRequests<
  TrainingJobSpec & { backend?: string; pauseFlag?: Int32Array },
  TrainingResult,
  TrainingProgress
>(async (spec, reportProgress) => {
  await selectBackend({ prefer: spec.backend ?? 'auto' });
  return { result: await trainModel(spec, reportProgress, undefined, spec.pauseFlag) };
});
