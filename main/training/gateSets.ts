import type Database from 'better-sqlite3';
import type { TrainingSample } from '../api/training.js';
import type { EvaluationCase } from '../evaluation/scoreEvaluation.js';
import type { GateSet } from './promotionGate.js';

/** The data set (study source: 'mias', 'cbis-ddsm', 'dicom') each image was imported from. */
export function sourcesOfImages(db: Database.Database, imageIds: readonly number[]): Map<number, string> {
  const statement = db.prepare(
    `SELECT studies.source AS source FROM images
       JOIN series ON series.id = images.series_pk JOIN studies ON studies.id = series.study_pk
      WHERE images.id = ?`,
  );
  return new Map(
    [...new Set(imageIds)].map((id) => [
      id,
      (statement.get(id) as { source: string } | undefined)?.source ?? '?',
    ]),
  );
}

/**
 * The validation sets a fine-tune's candidate is judged on: the workspace's validation images
 * grouped by the data set they come from. A set is the site's when the fine-tune learned new labels
 * from that data set, else the parent's (data the current model already reads, where forgetting
 * would show). `candidate` and `current` are the two models' cases on the validation samples, named
 * by the samples' resolved paths.
 *
 * What a set judges on is what the model learns (chooseFineTuneLabels picks `validation` by the same
 * rule as the training labels): images of the finding types the parent's card detects plus normal
 * images, and every reader's correction. An image whose imported ground truth marks another type
 * (mini-MIAS's calcification clusters, distortions and asymmetries, for a masses-only model) is in
 * no set: as a positive it would count misses of lesions the model never looks for, and it is not a
 * negative either.
 */
export function gateSets(
  db: Database.Database,
  validation: readonly TrainingSample[],
  fresh: readonly TrainingSample[],
  candidate: readonly EvaluationCase[],
  current: readonly EvaluationCase[],
  resolvePath: (path: string) => string,
): GateSet[] {
  const sources = sourcesOfImages(
    db,
    [...validation, ...fresh].map((s) => s.imageId),
  );
  const siteSources = new Set(fresh.map((s) => sources.get(s.imageId)));
  const sourceOfPath = new Map(validation.map((s) => [resolvePath(s.path), sources.get(s.imageId)!]));
  const names = [...new Set(sourceOfPath.values())].sort(
    (a, b) => Number(siteSources.has(b)) - Number(siteSources.has(a)) || a.localeCompare(b),
  );
  const casesOf = (cases: readonly EvaluationCase[], name: string) =>
    cases.filter((c) => sourceOfPath.get(c.imageName) === name);
  return names.map((name) => ({
    name,
    role: siteSources.has(name) ? 'site' : 'parent',
    candidate: casesOf(candidate, name),
    current: casesOf(current, name),
  }));
}
