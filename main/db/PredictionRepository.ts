import type Database from 'better-sqlite3';
import type { Finding, Prediction } from '../api/predictions.js';

interface PredictionRow {
  image_pk: number;
  model_id: string;
  backend: string;
  created_at: string;
  image_score: number;
  finding_threshold: number;
  findings_json: string;
  map_path: string;
  rows: number;
  columns: number;
  spacing_assumed: number;
  timings_json: string;
  uncertainty: number;
}

/** Cached predictions, one per (image, model version): a new model never reuses an old map. */
export class PredictionRepository {
  constructor(private readonly db: Database.Database) {}

  find(imageId: number, modelId: string): Prediction | null {
    const row = this.db
      .prepare('SELECT * FROM predictions WHERE image_pk = ? AND model_id = ?')
      .get(imageId, modelId) as PredictionRow | undefined;
    return row ? toPrediction(row) : null;
  }

  /** Deletes every cached prediction of a model version; returns their maps' workspace-relative paths. */
  deleteForModel(modelId: string): string[] {
    const paths = this.db.prepare('SELECT map_path FROM predictions WHERE model_id = ?').all(modelId) as {
      map_path: string;
    }[];
    this.db.prepare('DELETE FROM predictions WHERE model_id = ?').run(modelId);
    return paths.map((row) => row.map_path);
  }

  save(prediction: Prediction): void {
    this.db
      .prepare(
        `INSERT INTO predictions (image_pk, model_id, backend, created_at, image_score, finding_threshold, findings_json,
           map_path, rows, columns, spacing_assumed, timings_json, uncertainty)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (image_pk, model_id) DO UPDATE SET backend = excluded.backend, created_at = excluded.created_at,
           image_score = excluded.image_score, finding_threshold = excluded.finding_threshold,
           findings_json = excluded.findings_json, map_path = excluded.map_path, rows = excluded.rows,
           columns = excluded.columns, spacing_assumed = excluded.spacing_assumed, timings_json = excluded.timings_json,
           uncertainty = excluded.uncertainty`,
      )
      .run(
        prediction.imageId,
        prediction.modelId,
        prediction.backend,
        prediction.createdAt,
        prediction.imageScore,
        prediction.findingThreshold,
        JSON.stringify(prediction.findings),
        prediction.mapPath,
        prediction.rows,
        prediction.columns,
        prediction.spacingAssumed ? 1 : 0,
        JSON.stringify(prediction.timingsMs),
        prediction.uncertainty,
      );
  }
}

function toPrediction(row: PredictionRow): Prediction {
  return {
    imageId: row.image_pk,
    modelId: row.model_id,
    backend: row.backend,
    createdAt: row.created_at,
    imageScore: row.image_score,
    findingThreshold: row.finding_threshold,
    findings: JSON.parse(row.findings_json) as Finding[],
    mapPath: row.map_path,
    rows: row.rows,
    columns: row.columns,
    spacingAssumed: row.spacing_assumed === 1,
    timingsMs: JSON.parse(row.timings_json) as Prediction['timingsMs'],
    uncertainty: row.uncertainty,
  };
}
