import type { Migration } from '../runMigrations.js';

export const migration0009: Migration = {
  version: 9,
  name: 'PACS nodes, store-back pushes and the DICOM listener',
  sql: `
-- Remote PACS nodes. The secret (password or bearer token) stays in the workspace; the
-- repository never returns it to a transport.
CREATE TABLE pacs_nodes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  auth TEXT NOT NULL CHECK (auth IN ('none', 'basic', 'bearer')),
  username TEXT,
  secret TEXT,
  ae_title TEXT,
  host TEXT,
  port INTEGER,
  created_at TEXT NOT NULL
);

-- Each store-back of a study's results; the files are kept (with their hashes) so that a failed
-- push is retried with the same bytes.
CREATE TABLE pacs_pushes (
  id INTEGER PRIMARY KEY,
  study_pk INTEGER NOT NULL REFERENCES studies(id),
  node_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('seg', 'sr', 'pdf')),
  status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  files_json TEXT NOT NULL,
  instances_json TEXT NOT NULL,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX pacs_pushes_study ON pacs_pushes(study_pk);

-- The C-STORE SCP's settings: a single row, off by default.
CREATE TABLE dicom_listener (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL DEFAULT 0,
  port INTEGER NOT NULL DEFAULT 11112,
  ae_title TEXT NOT NULL DEFAULT 'MAMMO',
  allowed_calling_json TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO dicom_listener (id) VALUES (1);
`,
};
