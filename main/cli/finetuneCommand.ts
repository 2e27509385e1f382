import { parseArgs } from 'node:util';
import type { FineTuneJob } from '../api/training.js';
import type { Command } from './mammo.js';

/** `mammo finetune [--steps N] [--json]`: fine-tunes the current model now and waits for the verdict. */
export const finetuneCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values } = parseArgs({
    args,
    options: { steps: { type: 'string' }, json: { type: 'boolean' }, workspace: { type: 'string' } },
  });
  const unsubscribe = backend.subscribe('mammo:finetune.progress', ({ progress }) => {
    if (!json)
      stderr(
        `step ${progress.step}/${progress.totalSteps} loss ${progress.loss.toFixed(4)} eta ${Math.round(progress.etaSeconds)} s`,
      );
  });
  const started = await backend.startFineTune(values.steps ? { steps: Number(values.steps) } : {});
  const job = await backend.fineTunes.waitFor(started.id).finally(unsubscribe);
  if (json) stdout(JSON.stringify(job));
  else printJob(job, stdout);
  return job.status === 'succeeded' ? 0 : 1;
};

/** `mammo jobs [--json]`: fine-tune jobs, newest first. */
export const jobsCommand: Command = async ({ backend, json, stdout }) => {
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
  if (job.gate) stdout(`  gate: ${job.gate.promoted ? 'promoted' : 'kept as candidate'}: ${job.gate.reason}`);
  if (job.error) stdout(`  error: ${job.error}`);
}
