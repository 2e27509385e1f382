import type { Migration } from '../runMigrations.js';

export const migration0013: Migration = {
  version: 13,
  name: 'fine-tune jobs record the process that runs them',
  // A job is queued and run by one process; another process opening the workspace (the CLI while
  // the app fine-tunes) must not take it for a crash's leftover. Jobs from before have no owner.
  sql: `
ALTER TABLE fine_tune_jobs ADD COLUMN owner_pid INTEGER;
ALTER TABLE fine_tune_jobs ADD COLUMN heartbeat_at TEXT;
`,
};
