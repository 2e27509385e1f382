import type { Migration } from '../runMigrations.js';

export const migration0007: Migration = {
  version: 7,
  name: 'annotation versions, drafts, prediction uncertainty',
  sql: `
ALTER TABLE predictions ADD COLUMN uncertainty REAL NOT NULL DEFAULT 0;

-- Every save is a new version; earlier ones stay. The AI's original is the prediction row, the
-- clinician's final label is the latest version here: both are kept side by side.
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  image_pk INTEGER NOT NULL REFERENCES images(id),
  version INTEGER NOT NULL,
  parent_id INTEGER REFERENCES annotations(id),
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  model_id TEXT,
  threshold REAL,
  mask_path TEXT NOT NULL,
  positive_pixels INTEGER NOT NULL,
  correction_dice REAL,
  findings_json TEXT NOT NULL,
  UNIQUE (image_pk, version)
);

CREATE TABLE annotation_drafts (
  image_pk INTEGER PRIMARY KEY REFERENCES images(id),
  updated_at TEXT NOT NULL,
  draft_json TEXT NOT NULL
);
`,
};
