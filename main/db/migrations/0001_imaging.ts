import type { Migration } from '../runMigrations.js';

export const migration0001: Migration = {
  version: 1,
  name: 'patients, studies, series, images, audit log',
  sql: `
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL UNIQUE,
  name TEXT,
  birth_date TEXT,
  sex TEXT
);

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  patient_pk INTEGER NOT NULL REFERENCES patients(id),
  study_date TEXT,
  accession_number TEXT,
  description TEXT,
  source TEXT NOT NULL CHECK (source IN ('dicom', 'mias')),
  imported_at TEXT NOT NULL
);
CREATE INDEX studies_patient ON studies(patient_pk);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  series_uid TEXT NOT NULL UNIQUE,
  study_pk INTEGER NOT NULL REFERENCES studies(id),
  modality TEXT NOT NULL,
  series_number INTEGER,
  description TEXT,
  body_part TEXT
);
CREATE INDEX series_study ON series(study_pk);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  sop_instance_uid TEXT NOT NULL UNIQUE,
  sop_class_uid TEXT,
  series_pk INTEGER NOT NULL REFERENCES series(id),
  instance_number INTEGER,
  laterality TEXT CHECK (laterality IN ('L', 'R', 'B')),
  view TEXT,
  presentation_intent TEXT,
  for_display INTEGER NOT NULL,
  photometric TEXT NOT NULL,
  bits_allocated INTEGER NOT NULL,
  bits_stored INTEGER NOT NULL,
  pixel_representation INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  columns INTEGER NOT NULL,
  pixel_spacing_row REAL,
  pixel_spacing_col REAL,
  pixel_spacing_source TEXT,
  window_center REAL,
  window_width REAL,
  voi_lut_function TEXT,
  has_voi_lut_sequence INTEGER NOT NULL DEFAULT 0,
  transfer_syntax_uid TEXT,
  format TEXT NOT NULL CHECK (format IN ('dicom', 'png', 'pgm')),
  rel_path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE INDEX images_series ON images(series_pk);
CREATE INDEX images_sha ON images(sha256);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  details_json TEXT
);
`,
};
