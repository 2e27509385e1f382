import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingSetReport } from '../api/training.js';
import { WorkerPool, type RunOptions } from '../common/WorkerPool.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { TrainingSetProgress, TrainingSetRequest } from './trainingSetWorker.js';

function workerUrl(): URL {
  return new URL(`./trainingSetWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

/**
 * Turns imported ground truth into training samples in a worker thread, one build at a time, so
 * an import through the server or the UI never blocks its main thread. Aborting a build stops its
 * worker; samples already written stay (each is recorded atomically) and a later build skips them.
 */
export class TrainingSetService {
  private readonly pool = new WorkerPool<TrainingSetRequest, TrainingSetReport, TrainingSetProgress>(
    workerUrl(),
    1,
    'training-set',
  );

  constructor(private readonly workspace: Workspace) {}

  /** Builds the samples of every data-set image that has none yet; see `TrainingSetBuilder.buildFromGroundTruth`. */
  buildFromGroundTruth(options: RunOptions<TrainingSetProgress> = {}): Promise<TrainingSetReport> {
    return this.pool.run({ workspaceRoot: this.workspace.root }, options);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
