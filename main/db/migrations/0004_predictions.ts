import type { Migration } from '../runMigrations.js';

export const migration0004: Migration = {
  version: 4,
  name: 'cached predictions per image and model version',
  sql: `
CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  image_pk INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  model_id TEXT NOT NULL,
  backend TEXT NOT NULL,
  created_at TEXT NOT NULL,
  image_score REAL NOT NULL,
  finding_threshold REAL NOT NULL,
  findings_json TEXT NOT NULL,
  map_path TEXT NOT NULL,
  rows INTEGER NOT NULL,
  columns INTEGER NOT NULL,
  spacing_assumed INTEGER NOT NULL,
  timings_json TEXT NOT NULL,
  UNIQUE (image_pk, model_id)
);
`,
};
