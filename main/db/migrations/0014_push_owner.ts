import type { Migration } from '../runMigrations.js';

export const migration0014: Migration = {
  version: 14,
  name: 'PACS pushes record the process that sends them',
  // A push a crash cut off stayed 'sending' for ever; with its sender's process id, the next start
  // can tell it from a push another live process is sending now. Pushes from before have no owner.
  sql: `
ALTER TABLE pacs_pushes ADD COLUMN owner_pid INTEGER;
`,
};
