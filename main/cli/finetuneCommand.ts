import { z } from 'zod';
import { API_METHODS } from '../api/contract.js';
import type { FineTuneJob } from '../api/training.js';
import { NoCurrentModelError, NothingToLearnError } from '../training/FineTuneService.js';
import type { Command } from './mammo.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/**
 * `mammo finetune [--steps N] [--size S] [--auto-promote] [--json]`: fine-tunes the current model now
 * on the labelled samples its lineage has not learned (saved corrections, imported ground truth) and
 * waits for the gate's verdict. The candidate stays a candidate unless `--auto-promote` is given and
 * the gate passes. `--json` prints the job: `candidateModel` and `gate` (passed, promoted, reason).
 * Exit 0 when the job succeeded, 1 when it failed or there was nothing to learn, 2 on bad usage.
 */
export const finetuneCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values } = parseCommandArgs({
    args,
    options: {
      steps: { type: 'string' },
      size: { type: 'string' },
      'auto-promote': { type: 'boolean' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
  });
  const parsed = API_METHODS.startFineTune.input.safeParse({
    ...(values.steps !== undefined ? { steps: Number(values.steps) } : {}),
    ...(values.size !== undefined ? { size: Number(values.size) } : {}),
    ...(values['auto-promote'] ? { autoPromote: true } : {}),
  });
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
  const unsubscribe = backend.subscribe('mammo:finetune.progress', ({ progress }) => {
    if (!json)
      stderr(
        `step ${progress.step}/${progress.totalSteps} loss ${progress.loss.toFixed(4)} eta ${Math.round(progress.etaSeconds)} s`,
      );
  });
  let started: FineTuneJob;
  try {
    started = await backend.startFineTune(parsed.data);
  } catch (error) {
    unsubscribe();
    if (error instanceof NothingToLearnError || error instanceof NoCurrentModelError) {
      stderr(`mammo finetune: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const job = await backend.fineTunes.waitFor(started.id).finally(unsubscribe);
  if (json) stdout(JSON.stringify(job));
  else printJob(job, stdout);
  return job.status === 'succeeded' ? 0 : 1;
};

/** `mammo jobs [--json]`: fine-tune jobs, newest first. */
export const jobsCommand: Command = async ({ backend, args, json, stdout }) => {
  parseCommandArgs({ args, options: { json: { type: 'boolean' }, workspace: { type: 'string' } } });
  const jobs = await backend.listJobs({});
  if (json) stdout(JSON.stringify(jobs));
  else if (jobs.length === 0) stdout('no jobs');
  else jobs.forEach((job) => printJob(job, stdout));
  return 0;
};

function printJob(job: FineTuneJob, stdout: (line: string) => void): void {
  stdout(
    `job ${job.id} ${job.status}: ${job.parentModel ?? '-'} -> ${job.candidateModel ?? '-'} (${job.steps} steps, ${job.sampleIds.length} samples)`,
  );
  if (job.gate)
    stdout(
      `  gate: ${job.gate.promoted ? 'promoted' : `kept as candidate${job.gate.passed ? ` (promote it with mammo models promote ${job.candidateModel})` : ''}`}: ${job.gate.reason}`,
    );
  if (job.gate?.leftOut) stdout(`  left out: ${job.gate.leftOut.reason}`);
  if (job.gate?.measuredOn) stdout(`  measured on: ${job.gate.measuredOn}`);
  if (job.error) stdout(`  error: ${job.error}`);
}
