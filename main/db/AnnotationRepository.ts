import type Database from 'better-sqlite3';
import type { Annotation, AnnotationDraft, AnnotationFindings } from '../api/annotations.js';

interface AnnotationRow {
  id: number;
  image_pk: number;
  version: number;
  parent_id: number | null;
  author: string;
  created_at: string;
  model_id: string | null;
  threshold: number | null;
  mask_path: string;
  positive_pixels: number;
  correction_dice: number | null;
  findings_json: string;
}

export type NewAnnotation = Omit<Annotation, 'id' | 'version' | 'createdAt'>;

/** Annotation versions and drafts. */
export class AnnotationRepository {
  constructor(private readonly db: Database.Database) {}

  nextVersion(imageId: number): number {
    const row = this.db
      .prepare('SELECT max(version) AS v FROM annotations WHERE image_pk = ?')
      .get(imageId) as { v: number | null };
    return (row.v ?? 0) + 1;
  }

  /** Call inside a transaction that took the version from {@link nextVersion}. */
  insert(annotation: NewAnnotation, version: number): Annotation {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO annotations (image_pk, version, parent_id, author, created_at, model_id, threshold, mask_path,
             positive_pixels, correction_dice, findings_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          annotation.imageId,
          version,
          annotation.parentId,
          annotation.author,
          new Date().toISOString(),
          annotation.modelId,
          annotation.threshold,
          annotation.maskPath,
          annotation.positivePixels,
          annotation.correctionDice,
          JSON.stringify(annotation.findings),
        ).lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): Annotation | null {
    const row = this.db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as
      AnnotationRow | undefined;
    return row ? toAnnotation(row) : null;
  }

  /** Versions of an image, newest first. */
  list(imageId: number): Annotation[] {
    return (
      this.db
        .prepare('SELECT * FROM annotations WHERE image_pk = ? ORDER BY version DESC')
        .all(imageId) as AnnotationRow[]
    ).map(toAnnotation);
  }

  saveDraft(draft: AnnotationDraft): void {
    this.db
      .prepare(
        `INSERT INTO annotation_drafts (image_pk, reader, updated_at, draft_json) VALUES (?, ?, ?, ?)
         ON CONFLICT (image_pk, reader) DO UPDATE SET updated_at = excluded.updated_at, draft_json = excluded.draft_json`,
      )
      .run(draft.imageId, draft.reader, draft.updatedAt, JSON.stringify(draft));
  }

  /** The reader's own draft of an image ('' is the reader who has not given a name). */
  getDraft(imageId: number, reader: string): AnnotationDraft | null {
    const row = this.db
      .prepare('SELECT reader, draft_json FROM annotation_drafts WHERE image_pk = ? AND reader = ?')
      .get(imageId, reader) as { reader: string; draft_json: string } | undefined;
    if (!row) return null;
    // Drafts kept from before drafts had readers carry neither field in their JSON.
    const draft = JSON.parse(row.draft_json) as Partial<AnnotationDraft>;
    return { ...draft, reader: row.reader, baseVersion: draft.baseVersion ?? null } as AnnotationDraft;
  }

  /** Deletes one reader's draft of an image; other readers' drafts stay. */
  deleteDraft(imageId: number, reader: string): void {
    this.db.prepare('DELETE FROM annotation_drafts WHERE image_pk = ? AND reader = ?').run(imageId, reader);
  }
}

function toAnnotation(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    imageId: row.image_pk,
    version: row.version,
    parentId: row.parent_id,
    author: row.author,
    createdAt: row.created_at,
    modelId: row.model_id,
    threshold: row.threshold,
    maskPath: row.mask_path,
    positivePixels: row.positive_pixels,
    correctionDice: row.correction_dice,
    findings: JSON.parse(row.findings_json) as AnnotationFindings,
  };
}
