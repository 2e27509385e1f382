import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { decode } from 'fast-png';
import { discMask } from '../annotations/discMask.js';
import type { ModelVersion } from '../api/models.js';
import type { AnalysisService } from '../inference/AnalysisService.js';
import { MIAS_PIXEL_SPACING_MM } from '../studies/mias/MiasImporter.js';
import { miasCaseIdentity } from '../studies/mias/miasCaseIdentity.js';
import { parseMiasAnnotations } from '../studies/mias/miasAnnotations.js';
import { patientSplit, type Split } from '../training/patientSplit.js';
import {
  bilateralScores,
  miasBreastDensity,
  miasLesionType,
  resultsByBreastDensity,
  resultsByLesionType,
  type BreastDensity,
  type DensityResult,
  type LesionType,
  type TypeResult,
  type TypedCase,
} from './breakdowns.js';
import { frocCandidates } from './froc.js';
import { rocAuc } from './rocAuc.js';
import { countPixels } from './pixelMetrics.js';
import { scoreEvaluation, type EvaluationCase, type EvaluationReport } from './scoreEvaluation.js';

export interface EvaluateOptions {
  imagesDir: string;
  annotationsFile: string;
  model: ModelVersion;
  /** Only the patients of this split (the fixed hash split); all images by default. */
  split?: Split | 'all';
  /** At most this many images (in name order), for quick checks. */
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Given every evaluated image once measured (for a paired comparison of two models). */
  onCases?: (cases: readonly EvaluationCase[]) => void;
  bootstrapReplicates?: number;
}

export interface EvaluationResult extends EvaluationReport {
  modelId: string;
  backend: string;
  split: Split | 'all';
  /** Per image: its score and truth (for calibrating thresholds on a split). */
  imageScores: { image: string; score: number; abnormal: boolean }[];
  /** Image AUC and lesion sensitivity at 1 FP/image for each lesion type. */
  byLesionType: Partial<Record<LesionType, TypeResult>>;
  /** Image AUC and lesion sensitivity within each breast density (mini-MIAS background tissue). */
  byBreastDensity: Partial<Record<BreastDensity, DensityResult>>;
  /** Image AUC of the bilateral score (an image's score minus the other breast's). */
  bilateralImageAUC: number;
}

/**
 * Runs a model over a mini-MIAS-layout folder (mdbNNN.png|pgm and the case list) and computes
 * every metric: image-level ROC, lesion-level FROC, pixel-level overlap with the disc masks.
 */
export async function evaluateMiasFolder(
  analysis: AnalysisService,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const records = parseMiasAnnotations(readFileSync(options.annotationsFile, 'utf8'));
  const split = options.split ?? 'all';
  const folder = existsSync(join(options.imagesDir, 'images'))
    ? join(options.imagesDir, 'images')
    : options.imagesDir;
  let files = readdirSync(folder)
    .filter((name) => /^mdb\d{3}\.(png|pgm)$/i.test(name))
    .sort()
    .filter((name) => {
      const refnum = basename(name, extname(name)).toLowerCase();
      return (
        records.has(refnum) && (split === 'all' || patientSplit(miasCaseIdentity(refnum).patientId) === split)
      );
    });
  if (options.limit) files = files.slice(0, options.limit);
  if (files.length === 0)
    throw new Error(
      `${folder}: no mini-MIAS images with case-list records${split === 'all' ? '' : ` in the ${split} split`}`,
    );

  const card = options.model.card;
  let backend = 'unknown';
  let done = 0;
  const cases = await Promise.all(
    files.map(async (name): Promise<EvaluationCase & TypedCase & { density: BreastDensity | null }> => {
      const refnum = basename(name, extname(name)).toLowerCase();
      const identity = miasCaseIdentity(refnum);
      const result = await analysis.predictFile(
        join(folder, name),
        [MIAS_PIXEL_SPACING_MM, MIAS_PIXEL_SPACING_MM],
        {
          modelId: options.model.id,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      backend = result.backend;
      const map = decode(result.mapPng).data;
      const probability = Float32Array.from(map, (v) => v / 255);
      const abnormalRecords = records.get(refnum)!.filter((r) => r.abnormalityClass !== 'NORM');
      const lesions = abnormalRecords.flatMap((r) =>
        r.x === null || r.y === null || r.radius === null
          ? []
          : [
              {
                centerColumn: r.x,
                centerRow: result.rows - r.y,
                radius: r.radius,
                type: miasLesionType(r.abnormalityClass),
              },
            ],
      );
      const candidates = frocCandidates(probability, result.rows, result.columns, MIAS_PIXEL_SPACING_MM);
      options.onProgress?.(++done, files.length);
      return {
        imageName: refnum,
        patientId: identity.patientId,
        laterality: identity.laterality,
        types: abnormalRecords.flatMap((r) => miasLesionType(r.abnormalityClass) ?? []),
        abnormal: abnormalRecords.length > 0,
        density: miasBreastDensity(records.get(refnum)![0]?.tissue ?? null),
        lesions,
        imageScore: result.imageScore,
        candidates,
        pixels: countPixels(
          probability,
          discMask(result.rows, result.columns, lesions),
          card.thresholds.finding,
        ),
      };
    }),
  );
  options.onCases?.(cases);
  const report = scoreEvaluation(cases, card.thresholds.image, {
    replicates: options.bootstrapReplicates ?? 1000,
  });
  const imageScores = cases.map((c) => ({ image: c.imageName, score: c.imageScore, abnormal: c.abnormal }));
  return {
    ...report,
    modelId: options.model.id,
    backend,
    split,
    imageScores,
    byLesionType: resultsByLesionType(cases, report.froc),
    byBreastDensity: resultsByBreastDensity(cases, report.froc),
    bilateralImageAUC: rocAuc(
      bilateralScores(cases),
      cases.map((c) => c.abnormal),
    ),
  };
}
