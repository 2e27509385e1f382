import type { Migration } from '../runMigrations.js';

export const migration0003: Migration = {
  version: 3,
  name: 'model registry',
  sql: `
CREATE TABLE model_versions (
  id TEXT PRIMARY KEY,
  parent_id TEXT,
  origin TEXT NOT NULL CHECK (origin IN ('shipped', 'workspace')),
  status TEXT NOT NULL CHECK (status IN ('current', 'candidate', 'retired')),
  card_json TEXT NOT NULL,
  registered_at TEXT NOT NULL
);
-- At most one current model, enforced by the database itself.
CREATE UNIQUE INDEX model_versions_one_current ON model_versions(status) WHERE status = 'current';

CREATE TABLE model_promotions (
  id INTEGER PRIMARY KEY,
  model_id TEXT NOT NULL REFERENCES model_versions(id),
  previous_id TEXT REFERENCES model_versions(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('promote', 'rollback', 'initial'))
);
`,
};
