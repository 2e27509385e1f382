import type { Migration } from '../runMigrations.js';

export const migration0002: Migration = {
  version: 2,
  name: 'ground-truth findings from research data sets',
  sql: `
CREATE TABLE ground_truth_findings (
  id INTEGER PRIMARY KEY,
  image_pk INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  abnormality_class TEXT NOT NULL,
  severity TEXT CHECK (severity IN ('B', 'M')),
  center_column REAL,
  center_row REAL,
  radius REAL,
  source TEXT NOT NULL
);
CREATE INDEX ground_truth_image ON ground_truth_findings(image_pk);
`,
};
