import type { Migration } from '../runMigrations.js';

export const migration0012: Migration = {
  version: 12,
  name: 'drafts belong to a reader and an image',
  // A draft was one per image, so one reader's save deleted another's unsaved work. Drafts kept
  // from before belong to the unnamed reader ('').
  sql: `
CREATE TABLE annotation_drafts_by_reader (
  image_pk INTEGER NOT NULL REFERENCES images(id),
  reader TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  draft_json TEXT NOT NULL,
  PRIMARY KEY (image_pk, reader)
);
INSERT INTO annotation_drafts_by_reader (image_pk, reader, updated_at, draft_json)
  SELECT image_pk, '', updated_at, draft_json FROM annotation_drafts;
DROP TABLE annotation_drafts;
ALTER TABLE annotation_drafts_by_reader RENAME TO annotation_drafts;
`,
};
