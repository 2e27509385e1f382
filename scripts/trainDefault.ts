/**
 * `npm run train:default`: reproduces the shipped default model from ../shared/data/mias.
 * Seeded; resumes from its checkpoint when run again (a run may not finish in one sitting).
 * When training is done, the card's validation metrics are measured with `mammo evaluate`'s code
 * on the fixed validation split.
 *
 *   npm run train:default [-- --workspace DIR] [--steps N (stop after N more steps)] [--threads 1]
 *
 * The recipe splits each batch into two data-parallel shares, computed on two cores when the
 * machine has them; `--threads 1` keeps to one core and gives the same model, more slowly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ModelCard } from '../main/api/models.js';
import { MammoBackend, SHIPPED_MODELS_DIR } from '../main/backend/MammoBackend.js';
import { writeFileAtomic } from '../main/common/atomicWrite.js';
import { evaluateMiasFolder } from '../main/evaluation/evaluateMiasFolder.js';
import { cardValidation } from '../main/evaluation/scoreEvaluation.js';
import { youdenThreshold } from '../main/evaluation/calibrateThreshold.js';
import { frocThresholdAt } from '../main/evaluation/breakdowns.js';
import { selectBackend } from '../main/ml/backend/selectBackend.js';
import { CARD_FILE } from '../main/registry/modelFolder.js';
import { DEFAULT_MODEL_ID, DEFAULT_TRAINING_CONFIG } from '../main/training/defaultModelRecipe.js';
import { formatTrainingProgress, trainFromWorkspace } from '../main/training/trainFromWorkspace.js';
import { parseTrainingThreads } from '../main/training/trainingConfig.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const { values } = parseArgs({
  options: { workspace: { type: 'string' }, steps: { type: 'string' }, threads: { type: 'string' } },
});
const threads = parseTrainingThreads(values.threads);
const workspaceDir = resolve(values.workspace ?? join(ROOT, '.workspace-train-default'));
const outputFolder = join(SHIPPED_MODELS_DIR, DEFAULT_MODEL_ID);
if (!existsSync(MIAS)) throw new Error(`${MIAS}: the mini-MIAS data is needed to train the default model`);

// Trains in a workspace of its own that sees no shipped models.
const backend = MammoBackend.open(workspaceDir, {
  shippedModelsDir: join(workspaceDir, 'no-shipped-models'),
});
console.error(`backend: ${(await selectBackend()).reason}`);
if (!existsSync(outputFolder)) {
  const stopAfter = values.steps ? Number(values.steps) : Number.POSITIVE_INFINITY;
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  let stepsThisRun = 0;
  try {
    const result = await trainFromWorkspace(backend, {
      data: MIAS,
      out: outputFolder,
      config: DEFAULT_TRAINING_CONFIG,
      checkpointDir: join(workspaceDir, 'checkpoints', DEFAULT_MODEL_ID),
      description:
        'mini-MIAS (208 images, 104 patients): the training patients of the fixed patient-hash split, whole scans (lesion-centred and breast crops drawn from them)',
      notes: 'Research use only; trained on scanned film (mini-MIAS); not for clinical use.',
      onLog: (line) => console.error(line),
      onProgress: (p) => {
        console.error(formatTrainingProgress(p));
        if (++stepsThisRun >= stopAfter) controller.abort();
      },
      signal: controller.signal,
      ...(threads ? { threads } : {}),
    });
    console.error(`trained ${result.steps} steps, final loss ${result.finalLoss.toFixed(4)}`);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    console.error('stopped; the checkpoint is kept: run again to resume');
    await backend.close();
    process.exit(0);
  }
}
await backend.close();

const shipped = MammoBackend.open(workspaceDir, { shippedModelsDir: SHIPPED_MODELS_DIR });
const version = shipped.registry.get(DEFAULT_MODEL_ID);
if (!version) throw new Error(`${outputFolder}: the trained model did not register`);
// The image-level operating threshold is calibrated on the TRAINING patients (Youden's J), never on validation.
const card = JSON.parse(readFileSync(join(outputFolder, CARD_FILE), 'utf8')) as ModelCard;
const onTraining = await evaluateMiasFolder(shipped.analysis, {
  imagesDir: MIAS,
  annotationsFile: join(MIAS, 'annotations.csv'),
  model: version,
  split: 'train',
  bootstrapReplicates: 1,
});
card.thresholds.image = +youdenThreshold(
  onTraining.imageScores.map((s) => s.score),
  onTraining.imageScores.map((s) => s.abnormal),
).toFixed(4);
// Findings are marked at the training split's 1 false-positive-per-image operating point.
card.thresholds.finding = +Math.min(0.95, Math.max(0.05, frocThresholdAt(onTraining.froc, 1))).toFixed(4);
card.trainingData = {
  ...card.trainingData,
  fit: {
    split: 'train (the images it learned from), measured by mammo evaluate',
    imageAUC: onTraining.imageAUC,
    lesionSensitivityAt1FP: onTraining.lesionSensitivityAt1FP,
    lesionDice: onTraining.lesionDice,
    byLesionType: onTraining.byLesionType,
    byBreastDensity: onTraining.byBreastDensity,
  },
};
writeFileAtomic(join(outputFolder, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
console.error(
  `thresholds calibrated on the training split: image ${card.thresholds.image}, finding ${card.thresholds.finding}`,
);
const report = await evaluateMiasFolder(shipped.analysis, {
  imagesDir: MIAS,
  annotationsFile: join(MIAS, 'annotations.csv'),
  model: { ...version, card },
  split: 'validation',
});
card.validation = {
  ...cardValidation(report, 'validation (fixed patient-hash split), measured by mammo evaluate'),
  byLesionType: report.byLesionType,
  byBreastDensity: report.byBreastDensity,
  bilateralImageAUC: report.bilateralImageAUC,
};
writeFileAtomic(join(outputFolder, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
console.log(
  JSON.stringify(
    { model: DEFAULT_MODEL_ID, validation: card.validation, training: card.trainingData['fit'] },
    null,
    2,
  ),
);
await shipped.close();
