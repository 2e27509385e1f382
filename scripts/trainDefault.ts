/**
 * `npm run train:default`: reproduces the shipped default model from CBIS-DDSM's mass training
 * split (../shared/data/cbis-ddsm-mass, or --data DIR: the COCO layout `mammo import --format
 * cbis-ddsm` reads). Seeded; resumes from its checkpoint when run again (a run may not finish in
 * one sitting). When training is done, the card's metrics are measured with `mammo evaluate`'s code
 * on the fixed validation patients (a fifth, by patient hash).
 *
 *   npm run train:default [-- --data DIR] [--workspace DIR] [--steps N (stop after N more steps)] [--threads 1]
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
import { evaluateCocoFolder } from '../main/evaluation/evaluateCocoFolder.js';
import { evaluateMiasFolder } from '../main/evaluation/evaluateMiasFolder.js';
import { frocThresholdAt } from '../main/evaluation/breakdowns.js';
import { cardValidation } from '../main/evaluation/scoreEvaluation.js';
import { selectBackend } from '../main/ml/backend/selectBackend.js';
import { CBIS_SPACING_DERIVATION } from '../main/studies/cbis/squarePixels.js';
import { CARD_FILE } from '../main/registry/modelFolder.js';
import { DEFAULT_MODEL_ID, DEFAULT_TRAINING_CONFIG } from '../main/training/defaultModelRecipe.js';
import { formatTrainingProgress, trainFromWorkspace } from '../main/training/trainFromWorkspace.js';
import { parseTrainingThreads } from '../main/training/trainingConfig.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    workspace: { type: 'string' },
    steps: { type: 'string' },
    threads: { type: 'string' },
  },
});
const CBIS = resolve(values.data ?? join(ROOT, '../shared/data/cbis-ddsm-mass'));
const threads = parseTrainingThreads(values.threads);
const workspaceDir = resolve(values.workspace ?? join(ROOT, '.workspace-train-default'));
const outputFolder = join(SHIPPED_MODELS_DIR, DEFAULT_MODEL_ID);
if (!existsSync(join(CBIS, 'train', '_annotations.coco.json')))
  throw new Error(
    `${CBIS}: CBIS-DDSM's mass training split in the COCO layout is needed (train/ with _annotations.coco.json, the case table beside it); the README says where to get it`,
  );

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
      data: CBIS,
      dataFormat: 'cbis-ddsm',
      out: outputFolder,
      config: DEFAULT_TRAINING_CONFIG,
      checkpointDir: join(workspaceDir, 'checkpoints', DEFAULT_MODEL_ID),
      description:
        "CBIS-DDSM mass training split (1,231 scanned-film images, 691 patients, 1,318 mass boxes; the official test split never used): the training patients of the fixed patient-hash split (four fifths), whole scans rescaled to square pixels at an estimated 0.19 mm, each box's inscribed ellipse as the mass label. CBIS-DDSM: Sawyer-Lee R, Gimenez F, Hoogi A, Rubin D. Curated Breast Imaging Subset of DDSM. The Cancer Imaging Archive, 2016, doi:10.7937/K9/TCIA.2016.7O02S9CY (CC BY 3.0); Lee RS et al., Scientific Data 4, 170177 (2017); Heath M et al., The Digital Database for Screening Mammography, IWDM 2001.",
      notes:
        'Research use only; detects masses only (no calcification training data); trained on scanned film with an estimated pixel spacing; not for clinical use.',
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
const card = JSON.parse(readFileSync(join(outputFolder, CARD_FILE), 'utf8')) as ModelCard;
const trainFolder = join(CBIS, 'train');
const annotationsFile = join(trainFolder, '_annotations.coco.json');
const log = progressLogger();
// Thresholds come from the TRAINING patients only, never from validation.
const onTraining = await evaluateCocoFolder(shipped.analysis, {
  imagesDir: trainFolder,
  annotationsFile,
  model: version,
  split: 'train',
  bootstrapReplicates: 1,
  onProgress: log('training patients'),
});
// Findings are marked at the training split's 1 false-positive-per-image operating point. CBIS-DDSM
// has no normal images to calibrate an image threshold on, so an image is called positive when it
// has a finding: the image score is its strongest peak, so the two thresholds are one.
card.thresholds.finding = +Math.min(0.95, Math.max(0.05, frocThresholdAt(onTraining.froc, 1))).toFixed(4);
card.thresholds.image = card.thresholds.finding;
// CBIS-DDSM's mass split is all it learned from: the AI panel and the report say "masses only".
card.detects = ['mass'];
card.trainingData = {
  ...card.trainingData,
  spacing: CBIS_SPACING_DERIVATION,
  fit: {
    split: 'train (the patients it learned from), measured by mammo evaluate',
    images: onTraining.images,
    lesions: onTraining.lesions,
    lesionSensitivityAt1FP: onTraining.lesionSensitivityAt1FP,
    lesionSensitivityAtFP: onTraining.lesionSensitivityAtFP,
    lesionDice: onTraining.lesionDice,
  },
};
writeFileAtomic(join(outputFolder, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
console.error(`thresholds calibrated on the training patients: finding and image ${card.thresholds.finding}`);

const report = await evaluateCocoFolder(shipped.analysis, {
  imagesDir: trainFolder,
  annotationsFile,
  model: { ...version, card },
  split: 'validation',
  onProgress: log('validation patients'),
});
card.validation = {
  split:
    'validation: a fifth of the CBIS-DDSM patients (fixed patient-hash split), measured by mammo evaluate',
  imageAUC: report.imageAUC,
  imageAUCNote: report.imageAUCNote,
  imageSensitivity: report.imageSensitivity,
  imageSpecificity: report.imageSpecificity,
  lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
  lesionSensitivityAtFP: report.lesionSensitivityAtFP,
  lesionFroc: report.lesionFroc,
  pixelF1: report.pixelF1,
  lesionIoU: report.lesionIoU,
  lesionDice: report.lesionDice,
  images: report.images,
  patients: report.patients,
  lesions: report.lesions,
  ci: report.ci,
  byPathology: report.byPathology,
  byBiradsDensity: report.byBiradsDensity,
  bySubtlety: report.bySubtlety,
  byView: report.byView,
};
writeFileAtomic(join(outputFolder, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);

// mini-MIAS, another scanner and population that it never saw, is an external test where present.
const mias = resolve(ROOT, '../shared/data/mias');
if (existsSync(join(mias, 'annotations.csv'))) {
  const external = await evaluateMiasFolder(shipped.analysis, {
    imagesDir: mias,
    annotationsFile: join(mias, 'annotations.csv'),
    model: { ...version, card },
    split: 'validation',
    onProgress: log('mini-MIAS validation patients'),
  });
  card.externalValidation = {
    ...cardValidation(
      external,
      'external: the mini-MIAS validation patients (another scanner and population, never trained or tuned on), measured by mammo evaluate',
    ),
    byLesionType: external.byLesionType,
    byBreastDensity: external.byBreastDensity,
  };
  writeFileAtomic(join(outputFolder, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
}
console.log(
  JSON.stringify(
    {
      model: DEFAULT_MODEL_ID,
      validation: card.validation,
      externalValidation: card.externalValidation,
      training: card.trainingData['fit'],
    },
    null,
    2,
  ),
);
await shipped.close();

/** Progress on stderr, a line every tenth of the images. */
function progressLogger(): (what: string) => (done: number, total: number) => void {
  return (what) => (done, total) => {
    if (done === total || done % Math.max(1, Math.round(total / 10)) === 0)
      console.error(`evaluating ${what}: ${done}/${total}`);
  };
}
