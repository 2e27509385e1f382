import { existsSync, readFileSync } from 'node:fs';
import { circlesOfMask } from '../annotations/circlesOfMask.js';
import { peakCandidates } from '../evaluation/froc.js';
import { countPixels } from '../evaluation/pixelMetrics.js';
import {
  scoreEvaluation,
  type EvaluationCase,
  type EvaluationReport,
} from '../evaluation/scoreEvaluation.js';
import { findMapPeaks, imageScoreOfPeaks } from '../inference/mapPeaks.js';
import { mirrorAveraged } from '../inference/modelRunner.js';
import { predictProbabilityMap, type TileRunner } from '../inference/predictProbabilityMap.js';
import { decodeRgbSample } from './rgbSample.js';
import type { TrainingJobSpec } from './trainingProtocol.js';

/**
 * A validation report with the per-image cases it was scored from, so two models measured on the
 * same images can be compared image by image (the promotion gate's paired bootstrap).
 */
export type CaseReport = EvaluationReport & { cases: EvaluationCase[] };

/**
 * Scores the model on the validation samples with the same metrics code as `mammo evaluate`, a
 * lesion being each sample's given regions (imported ground truth: its boxes and circles), or
 * without them each piece of its mask in its enclosing circle (a reader's correction).
 */
export async function validateOnSamples(
  runner: TileRunner,
  spec: Pick<TrainingJobSpec, 'config' | 'validationSamples' | 'sampleSpacingMm' | 'card'>,
  signal?: AbortSignal,
): Promise<CaseReport> {
  const limit = spec.config.validationLimit || spec.validationSamples.length;
  // Measured as inference will run it: with the card's flip test-time augmentation, if any.
  const run = spec.card.testTimeMirror ? mirrorAveraged(runner) : runner;
  const cases: EvaluationCase[] = [];
  for (const { path, patientId, lesions: regions } of spec.validationSamples.slice(0, limit)) {
    signal?.throwIfAborted();
    if (!existsSync(path)) continue;
    const sample = decodeRgbSample(readFileSync(path), path);
    const map = await predictProbabilityMap(
      sample.scan,
      sample.rows,
      sample.columns,
      spec.sampleSpacingMm,
      run,
      {
        modelSpacingMm: spec.card.inputPixelSpacingMm,
        normalisation: spec.card.normalisation,
        tileSize: 512,
        overlap: 64,
      },
    );
    const lesions = regions ?? circlesOfMask(sample.mask, sample.rows, sample.columns);
    const peaks = findMapPeaks(map.probability, sample.rows, sample.columns, spec.sampleSpacingMm);
    cases.push({
      imageName: path,
      patientId,
      abnormal: lesions.length > 0,
      lesions,
      imageScore: imageScoreOfPeaks(peaks),
      candidates: peakCandidates(peaks),
      pixels: countPixels(map.probability, sample.mask, spec.card.thresholds.finding),
    });
  }
  return { ...scoreEvaluation(cases, spec.card.thresholds.image, { replicates: 200 }), cases };
}
