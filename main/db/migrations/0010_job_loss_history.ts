import type { Migration } from '../runMigrations.js';

export const migration0010: Migration = {
  version: 10,
  name: 'fine-tune loss history',
  sql: `
-- The training loss by step ([{step, loss}]), so a reloaded learning page draws the last job's curve.
ALTER TABLE fine_tune_jobs ADD COLUMN loss_history_json TEXT;
`,
};
