import type { Migration } from '../runMigrations.js';

/**
 * CBIS-DDSM as a labelled data set: a study source of its own, an estimated spacing's derivation on
 * the image, and box / outline ground truth with the case table's details. SQLite cannot alter a
 * CHECK constraint, so `studies` is rebuilt (the documented 12-step procedure, foreign keys off).
 */
export const migration0011: Migration = {
  version: 11,
  name: 'CBIS-DDSM: study source, estimated spacing note, box and outline ground truth',
  rebuildsTables: true,
  sql: `
CREATE TABLE studies_new (
  id INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  patient_pk INTEGER NOT NULL REFERENCES patients(id),
  study_date TEXT,
  accession_number TEXT,
  description TEXT,
  source TEXT NOT NULL CHECK (source IN ('dicom', 'mias', 'cbis-ddsm')),
  imported_at TEXT NOT NULL
);
INSERT INTO studies_new SELECT id, study_uid, patient_pk, study_date, accession_number, description, source, imported_at FROM studies;
DROP TABLE studies;
ALTER TABLE studies_new RENAME TO studies;
CREATE INDEX studies_patient ON studies(patient_pk);

ALTER TABLE images ADD COLUMN pixel_spacing_note TEXT;

ALTER TABLE ground_truth_findings ADD COLUMN box_left REAL;
ALTER TABLE ground_truth_findings ADD COLUMN box_top REAL;
ALTER TABLE ground_truth_findings ADD COLUMN box_width REAL;
ALTER TABLE ground_truth_findings ADD COLUMN box_height REAL;
ALTER TABLE ground_truth_findings ADD COLUMN outline_path TEXT;
ALTER TABLE ground_truth_findings ADD COLUMN details_json TEXT;
`,
};
