import { resolve } from 'node:path';
import { selectBackend } from '../ml/backend/selectBackend.js';
import { parseTrainingConfig, parseTrainingThreads } from '../training/trainingConfig.js';
import { folderRefusal } from '../workspace/createFolders.js';
import {
  formatTrainingProgress,
  NoTrainingDataError,
  trainFromWorkspace,
} from '../training/trainFromWorkspace.js';
import type { Command } from './mammo.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/**
 * `mammo train [--data MIAS_DIR] --out MODEL_DIR [--steps N] [--size S] [--width W] [--seed N] [--checkpoint-every N] [--replicas N] [--threads N] [--json]`:
 * trains a model from scratch on the workspace's training split; resumes its checkpoint if run again.
 * Each batch is split into `--replicas` data-parallel shares (2 by default), computed by
 * `--threads` threads (one per share, at most one per core; `--threads 1` keeps to one core and
 * gives the same model).
 */
export const trainCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values } = parseCommandArgs({
    args,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      steps: { type: 'string', default: '200' },
      size: { type: 'string', default: '320' },
      width: { type: 'string', default: '0.25' },
      seed: { type: 'string', default: '1' },
      'checkpoint-every': { type: 'string', default: '25' },
      replicas: { type: 'string', default: '2' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
  });
  if (!values.out) throw new UsageError('--out MODEL_DIR is required');
  let config;
  let threads;
  try {
    config = parseTrainingConfig({
      seed: Number(values.seed),
      widthMultiplier: Number(values.width),
      stages: [{ size: Number(values.size), steps: Number(values.steps) }],
      validateEvery: Number(values.steps),
      checkpointEvery: Number(values['checkpoint-every']),
      replicas: Number(values.replicas),
    });
    threads = parseTrainingThreads(values.threads);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const out = resolve(values.out);
  const outRefusal = folderRefusal(out);
  if (outRefusal) throw new UsageError(`--out ${values.out}: ${outRefusal}`);
  stderr(`backend: ${(await selectBackend()).reason}`);
  let result;
  try {
    result = await trainFromWorkspace(backend, {
      ...(values.data ? { data: values.data } : {}),
      out,
      config,
      checkpointDir: resolve(backend.workspace.root, 'checkpoints', out.split('/').pop()!),
      onLog: stderr,
      ...(threads ? { threads } : {}),
      onProgress: (p) => !json && stderr(formatTrainingProgress(p)),
    });
  } catch (error) {
    if (!(error instanceof NoTrainingDataError)) throw error;
    stderr(`mammo train: ${error.message}`);
    return 1;
  }
  if (json) stdout(JSON.stringify({ card: result.card, steps: result.steps, finalLoss: result.finalLoss }));
  else stdout(`model written to ${out} (${result.steps} steps, final loss ${result.finalLoss.toFixed(4)})`);
  return 0;
};
