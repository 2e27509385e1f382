import { basename } from 'node:path';
import type { ModelCard } from '../api/models.js';
import type { MammoBackend } from '../backend/MammoBackend.js';
import { TrainingSampleRepository } from '../db/TrainingSampleRepository.js';
import { CROP_DEFAULTS } from './batchSampler.js';
import type { TrainingConfig } from './trainingConfig.js';
import type { TrainingProgress, TrainingResult } from './trainingProtocol.js';
import { trainModel } from './trainModel.js';
import { SAMPLE_SPACING_MM } from './TrainingSetBuilder.js';

export interface TrainFromWorkspaceOptions {
  /** A mini-MIAS-layout folder to import and build samples from first (idempotent). */
  data?: string;
  /** The model folder to write (must not exist); its name is the model id. */
  out: string;
  config: TrainingConfig;
  checkpointDir: string;
  description?: string;
  notes?: string;
  onLog?: (line: string) => void;
  onProgress?: (progress: TrainingProgress) => void;
  signal?: AbortSignal;
}

/** Training was asked for with no sample in the training split. */
export class NoTrainingDataError extends Error {
  constructor() {
    super(
      'no training samples in the training split: give --data MIAS_DIR, or import a labelled data set first (mammo import --format mias)',
    );
    this.name = 'NoTrainingDataError';
  }
}

/**
 * Trains a model from scratch on a workspace's training split (optionally importing a data set
 * first) and validates on its validation split: `mammo train` and `npm run train:default`.
 */
export async function trainFromWorkspace(
  backend: MammoBackend,
  options: TrainFromWorkspaceOptions,
): Promise<TrainingResult> {
  const log = options.onLog ?? (() => undefined);
  if (options.data) {
    const imported = await backend.importFiles({ paths: [options.data], format: 'mias' });
    log(
      `data: ${imported.imported} imported, ${imported.skipped} already there, ${imported.errors.length} errors`,
    );
    for (const error of imported.errors) log(`error: ${error.file}: ${error.reason}`);
    const built = imported.trainingSet;
    if (built)
      log(
        `training set: ${built.added} samples added, ${built.skipped} images already done, ${built.excluded.length} left out (no lesion centre), ${built.errors.length} errors`,
      );
  }
  const repository = new TrainingSampleRepository(backend.workspace.db);
  const train = repository.list({ split: 'train' });
  const validation = repository.list({ split: 'validation' }).filter((s) => s.kind === 'full');
  log(
    `split: ${new Set(train.map((s) => s.patientId)).size} training patients (${train.length} samples), ` +
      `${new Set(validation.map((s) => s.patientId)).size} validation patients (${validation.length} images)`,
  );
  if (train.length === 0) throw new NoTrainingDataError();
  const card: Omit<ModelCard, 'weights' | 'validation'> = {
    id: basename(options.out),
    parentId: null,
    createdAt: new Date().toISOString(),
    architecture: 'scuccimarra-3.9.4.01',
    widthMultiplier: options.config.widthMultiplier,
    // Crops of S / 0.66 are resized to S, so the network sees the samples' spacing / 0.66.
    inputPixelSpacingMm: +(SAMPLE_SPACING_MM / CROP_DEFAULTS.cropFraction).toFixed(4),
    normalisation: { offset: 127, scale: 255 },
    trainingData: {
      description:
        options.description ?? `${train.length} training samples incl. ROI crops, fixed patient-hash split`,
      images: new Set(train.map((s) => s.imageId)).size,
      patients: new Set(train.map((s) => s.patientId)).size,
      seed: options.config.seed,
      config: options.config,
    },
    thresholds: { image: 0.5, finding: 0.5 },
    ...(options.notes ? { notes: options.notes } : {}),
  };
  return trainModel(
    {
      config: options.config,
      trainSamples: train.map((s) => backend.workspace.resolvePath(s.path)),
      validationSamples: validation.map((s) => ({
        path: backend.workspace.resolvePath(s.path),
        patientId: s.patientId,
      })),
      sampleSpacingMm: SAMPLE_SPACING_MM,
      initialModel: null,
      checkpointDir: options.checkpointDir,
      outputFolder: options.out,
      card,
    },
    options.onProgress,
    options.signal,
  );
}

/** One line per step for terminals and logs. */
export function formatTrainingProgress(p: TrainingProgress): string {
  const line = `step ${p.step}/${p.totalSteps} size ${p.size} loss ${p.loss.toFixed(4)} lr ${p.learningRate.toExponential(2)} ${p.samplesPerSecond.toFixed(2)} samples/s eta ${(p.etaSeconds / 3600).toFixed(2)} h`;
  return p.validation
    ? `${line} | validation AUC ${p.validation.imageAUC.toFixed(3)} sens@1FP ${p.validation.lesionSensitivityAt1FP.toFixed(3)} dice ${p.validation.lesionDice.toFixed(3)}`
    : line;
}
