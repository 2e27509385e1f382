/**
 * worker_threads entry that builds a workspace's ground-truth training samples (decoding, resampling
 * and PNG encoding are too heavy for a server's main thread). It opens its own connection to the
 * workspace database; terminating the worker cancels the build between atomic sample writes.
 */
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { Workspace } from '../workspace/Workspace.js';
import type { TrainingSetReport } from '../api/training.js';
import { TrainingSetBuilder } from './TrainingSetBuilder.js';

export interface TrainingSetRequest {
  workspaceRoot: string;
}

export interface TrainingSetProgress {
  done: number;
  total: number;
}

serveWorkerRequests<TrainingSetRequest, TrainingSetReport, TrainingSetProgress>(
  async ({ workspaceRoot }, reportProgress) => {
    const workspace = Workspace.open(workspaceRoot);
    try {
      const report = await new TrainingSetBuilder(workspace).buildFromGroundTruth((done, total) =>
        reportProgress({ done, total }),
      );
      return { result: report };
    } finally {
      workspace.close();
    }
  },
);
