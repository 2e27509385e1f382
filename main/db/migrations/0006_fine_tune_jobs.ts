import type { Migration } from '../runMigrations.js';

export const migration0006: Migration = {
  version: 6,
  name: 'fine-tune jobs',
  sql: `
CREATE TABLE fine_tune_jobs (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  parent_model TEXT,
  candidate_model TEXT,
  steps INTEGER NOT NULL,
  sample_ids_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  progress_json TEXT,
  gate_json TEXT,
  error TEXT
);
`,
};
