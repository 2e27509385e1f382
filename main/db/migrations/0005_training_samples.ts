import type { Migration } from '../runMigrations.js';

export const migration0005: Migration = {
  version: 5,
  name: 'training samples',
  sql: `
CREATE TABLE training_samples (
  id INTEGER PRIMARY KEY,
  image_pk INTEGER NOT NULL REFERENCES images(id),
  patient_id TEXT NOT NULL,
  split TEXT NOT NULL CHECK (split IN ('train', 'validation')),
  kind TEXT NOT NULL CHECK (kind IN ('full', 'roi-crop')),
  -- 'ground-truth' (a data set's own labels) or 'annotation' (a clinician's saved correction)
  label_source TEXT NOT NULL CHECK (label_source IN ('ground-truth', 'annotation')),
  annotation_id INTEGER,
  annotation_version INTEGER,
  author TEXT NOT NULL,
  rel_path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows INTEGER NOT NULL,
  columns INTEGER NOT NULL,
  pixel_spacing_mm REAL NOT NULL,
  positive_pixels INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  -- Set when a fine-tune job has trained on it, so the UI can show what is not learned yet.
  learned_by_model TEXT
);
CREATE INDEX training_samples_image ON training_samples(image_pk);
CREATE INDEX training_samples_split ON training_samples(split);
`,
};
