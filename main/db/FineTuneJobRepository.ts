import type Database from 'better-sqlite3';
import type { FineTuneJob, JobStatus, PromotionGateResult, TrainingProgressInfo } from '../api/training.js';

interface JobRow {
  id: number;
  status: JobStatus;
  parent_model: string | null;
  candidate_model: string | null;
  steps: number;
  sample_ids_json: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress_json: string | null;
  gate_json: string | null;
  error: string | null;
  loss_history_json: string | null;
  owner_pid: number | null;
  heartbeat_at: string | null;
}

export class FineTuneJobRepository {
  constructor(private readonly db: Database.Database) {}

  create(parentModel: string | null, steps: number, sampleIds: readonly number[]): FineTuneJob {
    const id = Number(
      this.db
        .prepare(
          "INSERT INTO fine_tune_jobs (status, parent_model, steps, sample_ids_json, created_at, owner_pid, heartbeat_at) VALUES ('queued', ?, ?, ?, @now, ?, @now)",
        )
        .run(parentModel, steps, JSON.stringify(sampleIds), process.pid, { now: new Date().toISOString() })
        .lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): FineTuneJob | null {
    const row = this.db.prepare('SELECT * FROM fine_tune_jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  list(): FineTuneJob[] {
    return (this.db.prepare('SELECT * FROM fine_tune_jobs ORDER BY id DESC').all() as JobRow[]).map(toJob);
  }

  update(
    id: number,
    fields: Partial<{
      status: JobStatus;
      candidateModel: string;
      startedAt: string;
      finishedAt: string;
      progress: TrainingProgressInfo;
      gate: PromotionGateResult;
      error: string;
      lossHistory: readonly { step: number; loss: number }[];
    }>,
  ): void {
    const columns: Record<string, unknown> = {};
    if (fields.status) columns['status'] = fields.status;
    if (fields.candidateModel) columns['candidate_model'] = fields.candidateModel;
    if (fields.startedAt) columns['started_at'] = fields.startedAt;
    if (fields.finishedAt) columns['finished_at'] = fields.finishedAt;
    if (fields.progress) columns['progress_json'] = JSON.stringify(fields.progress);
    if (fields.gate) columns['gate_json'] = JSON.stringify(fields.gate);
    if (fields.error) columns['error'] = fields.error;
    if (fields.lossHistory) columns['loss_history_json'] = JSON.stringify(fields.lossHistory);
    const names = Object.keys(columns);
    if (!names.length) return;
    this.db
      .prepare(`UPDATE fine_tune_jobs SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`)
      .run({ ...columns, id });
  }

  /** The running process says it still runs these jobs (see {@link failInterrupted}). */
  heartbeat(ids: readonly number[], now = new Date()): void {
    const beat = this.db.prepare(
      "UPDATE fine_tune_jobs SET heartbeat_at = ? WHERE id = ? AND status IN ('running', 'queued')",
    );
    this.db.transaction(() => {
      for (const id of ids) beat.run(now.toISOString(), id);
    })();
  }

  /**
   * Jobs left "running" or "queued" by a crash are marked failed at startup; their checkpoints
   * stay for a retry. A job whose owner `isLive` says still runs it (another process using the same
   * workspace), judged on the process id that queued it and its last heartbeat, is left alone.
   *
   * @returns how many were marked failed.
   */
  failInterrupted(isLive: (ownerPid: number | null, heartbeatAt: string | null) => boolean): number {
    const open = this.db
      .prepare("SELECT id, owner_pid, heartbeat_at FROM fine_tune_jobs WHERE status IN ('running', 'queued')")
      .all() as Pick<JobRow, 'id' | 'owner_pid' | 'heartbeat_at'>[];
    const fail = this.db.prepare(
      "UPDATE fine_tune_jobs SET status = 'failed', error = 'interrupted (the app stopped while it ran)', finished_at = ? WHERE id = ? AND status IN ('running', 'queued')",
    );
    const finishedAt = new Date().toISOString();
    return this.db.transaction(() => {
      let failed = 0;
      for (const row of open)
        if (!isLive(row.owner_pid, row.heartbeat_at)) failed += fail.run(finishedAt, row.id).changes;
      return failed;
    })();
  }
}

function toJob(row: JobRow): FineTuneJob {
  return {
    id: row.id,
    status: row.status,
    parentModel: row.parent_model,
    candidateModel: row.candidate_model,
    steps: row.steps,
    sampleIds: JSON.parse(row.sample_ids_json) as number[],
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    progress: row.progress_json ? (JSON.parse(row.progress_json) as TrainingProgressInfo) : null,
    gate: row.gate_json ? (JSON.parse(row.gate_json) as PromotionGateResult) : null,
    error: row.error,
    ...(row.loss_history_json
      ? { lossHistory: JSON.parse(row.loss_history_json) as { step: number; loss: number }[] }
      : {}),
  };
}
