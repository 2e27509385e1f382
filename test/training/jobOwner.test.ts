/**
 * A fine-tune job belongs to the process that queued it. Another process opening the same
 * workspace (`mammo jobs` while the app or `mammo finetune` trains) must leave it running; only a
 * job whose process is gone is marked interrupted. Real processes: a `mammo finetune` child, and
 * the workspace opened from this one meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FineTuneJob } from '../../main/api/training.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { FineTuneJobRepository } from '../../main/db/FineTuneJobRepository.js';
import { JOB_HEARTBEAT_MS, JOB_HEARTBEAT_STALE_MS } from '../../main/training/jobOwner.js';
import { isLiveOwner } from '../../main/workspace/processAlive.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { MAMMO_BIN, MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

const INTERRUPTED = 'interrupted (the app stopped while it ran)';

describe('fine-tune jobs and the processes that run them', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-base');
  });

  /** A workspace with the MIAS fixture imported: ground truth a fine-tune can learn. */
  async function workspaceWithLabels(): Promise<string> {
    const dir = tempDir();
    const backend = MammoBackend.open(dir, { shippedModelsDir: shipped, analysis: { backend: 'wasm' } });
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    await backend.close();
    return dir;
  }

  /** `mammo finetune` in a process of its own; resolves once its job is running (read from the database file). */
  async function startFineTuneProcess(
    workspace: string,
    steps: number,
  ): Promise<{ child: ChildProcess; output: Promise<string> }> {
    const child = spawn(
      process.execPath,
      [MAMMO_BIN, '--workspace', workspace, 'finetune', '--steps', String(steps), '--size', '64', '--json'],
      {
        env: { ...process.env, MAMMO_TF_BACKEND: 'wasm', MAMMO_MODELS_DIR: shipped },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const output = exited.then(() => stdout);
    const db = new Database(join(workspace, 'mammo.sqlite'), { readonly: true, fileMustExist: true });
    try {
      for (;;) {
        const row = db.prepare('SELECT status FROM fine_tune_jobs ORDER BY id DESC LIMIT 1').get() as
          { status: string } | undefined;
        if (row?.status === 'running') break;
        if (child.exitCode !== null) throw new Error(`mammo finetune ended before its job ran:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      db.close();
    }
    return { child, output };
  }

  async function jobsSeenByAnotherProcess(workspace: string, cancel = false): Promise<FineTuneJob[]> {
    const backend = MammoBackend.open(workspace, { shippedModelsDir: shipped });
    try {
      // Listing jobs starts the fine-tune service, which is where a crash's leftovers are failed.
      const jobs = await backend.listJobs({});
      if (cancel)
        await expect(backend.cancelJob({ jobId: jobs[0]!.id })).rejects.toThrow(
          `job ${jobs[0]!.id} is run by another process using this workspace (the app or a mammo command); cancel it there`,
        );
      return jobs;
    } finally {
      await backend.close();
    }
  }

  it('opening the workspace while another process fine-tunes leaves its job running, and it ends as it would have', async () => {
    const workspace = await workspaceWithLabels();
    const { child, output } = await startFineTuneProcess(workspace, 300);
    // A cancel from here is refused with where to cancel it, and leaves the job running.
    const [seen] = await jobsSeenByAnotherProcess(workspace, true);
    // Before jobs had owners, this marked the live job failed ("interrupted").
    expect(seen).toMatchObject({ status: 'running', error: null });
    expect(child.exitCode).toBeNull();

    const printed = JSON.parse(await output) as FineTuneJob;
    expect(printed).toMatchObject({ id: seen!.id, status: 'succeeded', error: null });
    const [stored] = await jobsSeenByAnotherProcess(workspace);
    expect(stored).toMatchObject({ id: seen!.id, status: 'succeeded', error: null });
  }, 180_000);

  it('a job whose process was killed is marked interrupted when the workspace is next opened', async () => {
    const workspace = await workspaceWithLabels();
    const { child } = await startFineTuneProcess(workspace, 2000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const [job] = await jobsSeenByAnotherProcess(workspace);
    expect(job).toMatchObject({ status: 'failed', error: INTERRUPTED });
  }, 180_000);

  it('the process beats while its job is open and stops when it ends', async () => {
    const dir = await workspaceWithLabels();
    const backend = MammoBackend.open(dir, { shippedModelsDir: shipped, analysis: { backend: 'wasm' } });
    const db = new Database(join(dir, 'mammo.sqlite'), { readonly: true });
    const heartbeatOf = (id: number) =>
      (db.prepare('SELECT heartbeat_at FROM fine_tune_jobs WHERE id = ?').get(id) as { heartbeat_at: string })
        .heartbeat_at;
    // Only the interval timers are fake: the job's worker, its promises and the clock run for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const queued = await backend.fineTunes.start({ steps: 24, size: 64 });
      const created = heartbeatOf(queued.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      vi.advanceTimersByTime(JOB_HEARTBEAT_MS);
      expect(Date.parse(heartbeatOf(queued.id))).toBeGreaterThan(Date.parse(created));
      expect(vi.getTimerCount()).toBe(1);
      await expect(backend.fineTunes.waitFor(queued.id)).resolves.toMatchObject({ status: 'succeeded' });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
      db.close();
      await backend.close();
    }
  }, 120_000);

  it('the rule: a live owner counts only with a recent heartbeat; no owner, a dead one or this process counts as gone', () => {
    const workspace = Workspace.open(tempDir());
    const jobs = new FineTuneJobRepository(workspace.db);
    const job = jobs.create('tiny-base', 10, []);
    const row = workspace.db
      .prepare('SELECT owner_pid, heartbeat_at FROM fine_tune_jobs WHERE id = ?')
      .get(job.id) as { owner_pid: number; heartbeat_at: string };
    expect(row.owner_pid).toBe(process.pid);
    const beatAt = new Date(Date.parse(row.heartbeat_at) + 60_000);
    jobs.heartbeat([job.id], beatAt);
    expect(
      (
        workspace.db.prepare('SELECT heartbeat_at FROM fine_tune_jobs WHERE id = ?').get(job.id) as {
          heartbeat_at: string;
        }
      ).heartbeat_at,
    ).toBe(beatAt.toISOString());

    // The parent of this test process is alive and is not this process.
    const other = process.ppid;
    const now = Date.now();
    const fresh = new Date(now - 1_000).toISOString();
    // The rule the fine-tune service applies to a job's owner and heartbeat.
    const jobOwnerIsLive = (owner: { pid: number | null; heartbeatAt: string | null }, at: number) =>
      isLiveOwner(owner.pid, owner.heartbeatAt, JOB_HEARTBEAT_STALE_MS, at);
    expect(jobOwnerIsLive({ pid: other, heartbeatAt: fresh }, now)).toBe(true);
    expect(
      jobOwnerIsLive(
        { pid: other, heartbeatAt: new Date(now - JOB_HEARTBEAT_STALE_MS - 1).toISOString() },
        now,
      ),
    ).toBe(false);
    expect(jobOwnerIsLive({ pid: other, heartbeatAt: null }, now)).toBe(false);
    expect(jobOwnerIsLive({ pid: null, heartbeatAt: fresh }, now)).toBe(false);
    expect(jobOwnerIsLive({ pid: process.pid, heartbeatAt: fresh }, now)).toBe(false);
    // Process ids are positive and below 2^22 on Linux; 2^30 names no process.
    expect(jobOwnerIsLive({ pid: 2 ** 30, heartbeatAt: fresh }, now)).toBe(false);

    // failInterrupted fails exactly the jobs whose owner is not live, and only open ones.
    const kept = jobs.create('tiny-base', 10, []);
    jobs.update(job.id, { status: 'running' });
    jobs.update(kept.id, { status: 'running' });
    const done = jobs.create('tiny-base', 10, []);
    jobs.update(done.id, { status: 'succeeded' });
    expect(jobs.failInterrupted((_pid, heartbeatAt) => heartbeatAt === beatAt.toISOString())).toBe(1);
    expect(jobs.get(job.id)).toMatchObject({ status: 'running' });
    expect(jobs.get(kept.id)).toMatchObject({ status: 'failed', error: INTERRUPTED });
    expect(jobs.get(done.id)).toMatchObject({ status: 'succeeded', error: null });
    workspace.close();
  });
});
