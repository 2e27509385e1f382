/**
 * `npm run train:default`: reproduces the shipped default model from ../shared/data/mias.
 * Seeded; resumes from its checkpoint when run again (a run may not finish in one sitting).
 *
 *   npm run train:default [-- --workspace DIR] [--steps N (stop after N more steps)]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { MammoBackend, SHIPPED_MODELS_DIR } from '../main/backend/MammoBackend.js';
import { writeFileAtomic } from '../main/common/atomicWrite.js';
import { TrainingSampleRepository } from '../main/db/TrainingSampleRepository.js';
import { evaluateMiasFolder } from '../main/evaluation/evaluateMiasFolder.js';
import { selectBackend } from '../main/ml/backend/selectBackend.js';
import { CARD_FILE } from '../main/registry/modelFolder.js';
import { CROP_DEFAULTS } from '../main/training/batchSampler.js';
import { DEFAULT_MODEL_ID, DEFAULT_TRAINING_CONFIG } from '../main/training/defaultModelRecipe.js';
import { trainModel } from '../main/training/trainModel.js';
import { SAMPLE_SPACING_MM, TrainingSetBuilder } from '../main/training/TrainingSetBuilder.js';
import type { ModelCard } from '../main/api/models.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');

const { values } = parseArgs({ options: { workspace: { type: 'string' }, steps: { type: 'string' } } });
const workspaceDir = resolve(values.workspace ?? join(ROOT, '.workspace-train-default'));
const outputFolder = join(SHIPPED_MODELS_DIR, DEFAULT_MODEL_ID);
if (!existsSync(MIAS)) throw new Error(`${MIAS}: the mini-MIAS data is needed to train the default model`);

const backend = MammoBackend.open(workspaceDir, { shippedModelsDir: join(workspaceDir, 'no-shipped-models') });
const imported = await backend.importFiles({ paths: [MIAS], format: 'mias' });
console.error(`data: ${imported.imported} imported, ${imported.skipped} already there, ${imported.errors.length} errors`);
const built = await new TrainingSetBuilder(backend.workspace).buildFromGroundTruth();
console.error(`training set: ${built.added} samples added, ${built.skipped} images already done`);

const repository = new TrainingSampleRepository(backend.workspace.db);
const train = repository.list({ split: 'train' });
const validation = repository.list({ split: 'validation' }).filter((s) => s.kind === 'full');
console.error(`split: ${new Set(train.map((s) => s.patientId)).size} training patients (${train.length} samples), ${new Set(validation.map((s) => s.patientId)).size} validation patients (${validation.length} images)`);

const selection = await selectBackend({ prefer: 'auto' });
console.error(`backend: ${selection.reason}`);

if (!existsSync(outputFolder)) {
  const config = values.steps ? { ...DEFAULT_TRAINING_CONFIG } : DEFAULT_TRAINING_CONFIG;
  const stopAfter = values.steps ? Number(values.steps) : Number.POSITIVE_INFINITY;
  const controller = new AbortController();
  let stepsThisRun = 0;
  process.on('SIGINT', () => controller.abort());
  try {
    const result = await trainModel(
      {
        config,
        trainSamples: train.map((s) => backend.workspace.resolvePath(s.path)),
        validationSamples: validation.map((s) => ({ path: backend.workspace.resolvePath(s.path), patientId: s.patientId })),
        sampleSpacingMm: SAMPLE_SPACING_MM,
        initialModel: null,
        checkpointDir: join(workspaceDir, 'checkpoints', DEFAULT_MODEL_ID),
        outputFolder,
        card: {
          id: DEFAULT_MODEL_ID,
          parentId: null,
          createdAt: new Date().toISOString(),
          architecture: 'scuccimarra-3.9.4.01',
          widthMultiplier: config.widthMultiplier,
          // Crops of S / 0.66 are resized to S, so the network sees the samples' spacing / 0.66.
          inputPixelSpacingMm: +(SAMPLE_SPACING_MM / CROP_DEFAULTS.cropFraction).toFixed(4),
          normalisation: { offset: 127, scale: 255 },
          trainingData: {
            description: `mini-MIAS development split (208 images, 104 patients), fixed patient-hash split; ${train.length} training samples incl. ROI crops`,
            images: new Set(train.map((s) => s.imageId)).size,
            patients: new Set(train.map((s) => s.patientId)).size,
            seed: config.seed,
            config,
          },
          thresholds: { image: 0.5, finding: 0.5 },
          notes: 'Research use only; trained on scanned film (mini-MIAS); not for clinical use.',
        },
      },
      (p) => {
        stepsThisRun++;
        const line = `step ${p.step}/${p.totalSteps} size ${p.size} loss ${p.loss.toFixed(4)} lr ${p.learningRate.toExponential(2)} ${p.samplesPerSecond.toFixed(2)} samples/s eta ${(p.etaSeconds / 3600).toFixed(1)} h`;
        console.error(p.validation ? `${line} | validation AUC ${p.validation.imageAUC.toFixed(3)} sens@1FP ${p.validation.lesionSensitivityAt1FP.toFixed(3)} dice ${p.validation.lesionDice.toFixed(3)}` : line);
        if (stepsThisRun >= stopAfter) controller.abort();
      },
      controller.signal,
    );
    console.error(`trained ${result.steps} steps, final loss ${result.finalLoss.toFixed(4)}`);
  } catch (error) {
    if (controller.signal.aborted) {
      console.error('stopped; the checkpoint is kept, run again to resume');
      await backend.close();
      process.exit(0);
    }
    throw error;
  }
}

// The card's validation metrics come from `mammo evaluate` on the validation split, nothing else.
backend.registry.syncShipped();
const shipped = MammoBackend.open(workspaceDir, { shippedModelsDir: SHIPPED_MODELS_DIR });
shipped.registry.syncShipped();
const version = shipped.registry.get(DEFAULT_MODEL_ID);
if (!version) throw new Error(`${outputFolder}: the trained model did not register`);
const report = await evaluateMiasFolder(shipped.analysis, {
  imagesDir: MIAS,
  annotationsFile: join(MIAS, 'annotations.csv'),
  model: version,
  split: 'validation',
});
const card = JSON.parse(readFileSync(join(outputFolder, CARD_FILE), 'utf8')) as ModelCard;
card.validation = {
  split: 'validation (fixed patient-hash split, mammo evaluate)',
  imageAUC: report.imageAUC,
  imageSensitivity: report.imageSensitivity,
  imageSpecificity: report.imageSpecificity,
  lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
  pixelF1: report.pixelF1,
  lesionIoU: report.lesionIoU,
  lesionDice: report.lesionDice,
  images: report.images,
  lesionSensitivityAtFP: report.lesionSensitivityAtFP,
  ci: report.ci,
};
writeFileAtomic(join(outputFolder, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
console.log(JSON.stringify({ model: DEFAULT_MODEL_ID, validation: card.validation }, null, 2));
await shipped.close();
await backend.close();
