import type Database from 'better-sqlite3';
import type { TrainingSample } from '../api/training.js';

export type NewTrainingSample = Omit<TrainingSample, 'id' | 'createdAt' | 'learnedByModel'>;

interface SampleRow {
  id: number;
  image_pk: number;
  patient_id: string;
  split: TrainingSample['split'];
  kind: TrainingSample['kind'];
  label_source: TrainingSample['labelSource'];
  annotation_id: number | null;
  annotation_version: number | null;
  author: string;
  rel_path: string;
  sha256: string;
  rows: number;
  columns: number;
  pixel_spacing_mm: number;
  positive_pixels: number;
  created_at: string;
  /** Legacy: written by fine-tunes before learned-ness followed the model lineage; not read. */
  learned_by_model: string | null;
}

/** The TrainingSample rows; the PNGs themselves live in the workspace's training folder. */
export class TrainingSampleRepository {
  constructor(private readonly db: Database.Database) {}

  insert(sample: NewTrainingSample): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO training_samples (image_pk, patient_id, split, kind, label_source, annotation_id, annotation_version,
             author, rel_path, sha256, rows, columns, pixel_spacing_mm, positive_pixels, created_at)
           VALUES (@imageId, @patientId, @split, @kind, @labelSource, @annotationId, @annotationVersion, @author, @path,
             @sha256, @rows, @columns, @pixelSpacingMm, @positivePixels, @createdAt)`,
        )
        .run({ ...sample, createdAt: new Date().toISOString() }).lastInsertRowid,
    );
  }

  /**
   * The samples, each with the model that learned it from `learned` (what the current model's
   * lineage learned, see learnedByLineage): learned-ness belongs to a model, not to the sample. The
   * table's own learned_by_model column is no longer written (it could not follow a rollback).
   */
  list(
    filter: { split?: TrainingSample['split'] } = {},
    learned: ReadonlyMap<number, string> = new Map(),
  ): TrainingSample[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.split) {
      where.push('split = ?');
      params.push(filter.split);
    }
    // Only the newest saved version of an image's correction is its label: earlier versions are
    // history (kept for restore), neither counted nor trained on.
    where.push(`NOT EXISTS (SELECT 1 FROM annotations a WHERE a.image_pk = training_samples.image_pk
      AND training_samples.annotation_version IS NOT NULL AND a.version > training_samples.annotation_version)`);
    const rows = this.db
      .prepare(`SELECT * FROM training_samples WHERE ${where.join(' AND ')} ORDER BY id`)
      .all(...params) as SampleRow[];
    return rows.map((row) => toSample(row, learned.get(row.id) ?? null));
  }

  /** Whether an image already has a sample from the same label (re-running a builder adds nothing). */
  hasSample(
    imageId: number,
    labelSource: TrainingSample['labelSource'],
    annotationId: number | null,
    kind: TrainingSample['kind'],
  ): boolean {
    return (
      this.db
        .prepare(
          'SELECT 1 FROM training_samples WHERE image_pk = ? AND label_source = ? AND annotation_id IS ? AND kind = ? LIMIT 1',
        )
        .get(imageId, labelSource, annotationId, kind) !== undefined
    );
  }
}

function toSample(row: Omit<SampleRow, 'learned_by_model'>, learnedByModel: string | null): TrainingSample {
  return {
    id: row.id,
    imageId: row.image_pk,
    patientId: row.patient_id,
    split: row.split,
    kind: row.kind,
    labelSource: row.label_source,
    annotationId: row.annotation_id,
    annotationVersion: row.annotation_version,
    author: row.author,
    path: row.rel_path,
    sha256: row.sha256,
    rows: row.rows,
    columns: row.columns,
    pixelSpacingMm: row.pixel_spacing_mm,
    positivePixels: row.positive_pixels,
    createdAt: row.created_at,
    learnedByModel,
  };
}
