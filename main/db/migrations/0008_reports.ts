import type { Migration } from '../runMigrations.js';

export const migration0008: Migration = {
  version: 8,
  name: 'structured reports',
  sql: `
-- One row per report version. A final version is never updated again (the repository refuses it);
-- an amendment is a new row pointing at the version it amends.
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  study_pk INTEGER NOT NULL REFERENCES studies(id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'amended')),
  amends_id INTEGER REFERENCES reports(id),
  birads TEXT,
  density TEXT,
  findings_json TEXT NOT NULL,
  impression TEXT NOT NULL,
  reader TEXT NOT NULL,
  amendment_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finalized_at TEXT,
  UNIQUE (study_pk, version)
);
`,
};
