import { basename } from 'node:path';
import type { ModelCard } from '../api/models.js';
import type { TrainingSample } from '../api/training.js';
import type { MammoBackend } from '../backend/MammoBackend.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { TrainingSampleRepository } from '../db/TrainingSampleRepository.js';
import { developmentSplit } from './patientSplit.js';
import { validationSamplesOf } from './sampleLesions.js';
import type { TrainingConfig } from './trainingConfig.js';
import type { TrainingProgress, TrainingResult } from './trainingProtocol.js';
import { trainModel } from './trainModel.js';
import { SAMPLE_SPACING_MM } from './TrainingSetBuilder.js';

export interface TrainFromWorkspaceOptions {
  /** A labelled data set's folder to import and build samples from first (idempotent). */
  data?: string;
  /** The layout of `data`: mini-MIAS (default) or CBIS-DDSM's COCO layout. */
  dataFormat?: 'mias' | 'cbis-ddsm';
  /** The model folder to write (must not exist); its name is the model id. */
  out: string;
  config: TrainingConfig;
  checkpointDir: string;
  description?: string;
  notes?: string;
  onLog?: (line: string) => void;
  onProgress?: (progress: TrainingProgress) => void;
  signal?: AbortSignal;
  /** Threads computing the batch's shares (`TrainingJobSpec.threads`); default one per share, at most one per core. */
  threads?: number;
  /**
   * What trains and what validates. 'validation' (default): the training split, validated on the
   * validation split. 'development': recipe work, fitting on three quarters of the training
   * patients and validating on the other quarter (see `developmentSplit`), never touching the
   * validation split; `{ developmentFold: k }` holds out fold k instead (0-3, cross-validation).
   * `{ overfit: n }`: a learning sanity check, n abnormal and n normal training images validated
   * on themselves.
   */
  plan?: 'validation' | 'development' | { developmentFold: number } | { overfit: number };
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
    const imported = await backend.importFiles({
      paths: [options.data],
      format: options.dataFormat ?? 'mias',
    });
    log(
      `data: ${imported.imported} imported, ${imported.skipped} already there, ${imported.errors.length} errors`,
    );
    for (const error of imported.errors) log(`error: ${error.file}: ${error.reason}`);
    const built = imported.trainingSet;
    if (built)
      log(
        `training set: ${built.added} samples added, ${built.skipped} images already done, ${built.excluded.length} left out, ${built.errors.length} errors`,
      );
  }
  const repository = new TrainingSampleRepository(backend.workspace.db);
  // Whole scans only: the sampler takes lesion-centred crops from them (older workspaces also hold
  // ROI crop samples, whose black frames inference never sees).
  const trainSplit = repository.list({ split: 'train' }).filter((s) => s.kind === 'full');
  const { train, validation } = planSamples(
    trainSplit,
    () => repository.list({ split: 'validation' }).filter((s) => s.kind === 'full'),
    options.plan ?? 'validation',
  );
  log(
    `split: ${new Set(train.map((s) => s.patientId)).size} training patients (${train.length} samples), ` +
      `${new Set(validation.map((s) => s.patientId)).size} validation patients (${validation.length} images)`,
  );
  if (train.length === 0) throw new NoTrainingDataError();
  const card: Omit<ModelCard, 'weights' | 'validation'> = {
    id: basename(options.out),
    parentId: null,
    createdAt: new Date().toISOString(),
    architecture:
      options.config.headActivation === 'linear'
        ? 'scuccimarra-3.9.4.01-linear-head'
        : 'scuccimarra-3.9.4.01',
    widthMultiplier: options.config.widthMultiplier,
    inputPixelSpacingMm: options.config.modelSpacingMm,
    normalisation: {
      offset: 127,
      scale: 255,
      ...(options.config.intensityNormalisation === 'breast' ? { perImage: 'breast' as const } : {}),
    },
    trainingData: {
      description:
        options.description ?? `${train.length} whole-scan training samples, fixed patient-hash split`,
      images: new Set(train.map((s) => s.imageId)).size,
      patients: new Set(train.map((s) => s.patientId)).size,
      // The data sets it learned (see groundTruthAuthorsOf): a workspace importing one of them
      // replays it in a fine-tune instead of learning it as new.
      groundTruthAuthors: [
        ...new Set(train.filter((s) => s.labelSource === 'ground-truth').map((s) => s.author)),
      ].sort(),
      seed: options.config.seed,
      config: options.config,
    },
    thresholds: { image: 0.5, finding: 0.5 },
    ...(options.config.testTimeMirror ? { testTimeMirror: true } : {}),
    ...(options.notes ? { notes: options.notes } : {}),
  };
  return trainModel(
    {
      config: options.config,
      trainSamples: train.map((s) => backend.workspace.resolvePath(s.path)),
      validationSamples: validationSamplesOf(
        validation,
        new StudyRepository(backend.workspace.db),
        backend.workspace.resolvePath.bind(backend.workspace),
      ),
      sampleSpacingMm: SAMPLE_SPACING_MM,
      initialModel: null,
      checkpointDir: options.checkpointDir,
      outputFolder: options.out,
      card,
      ...(options.threads ? { threads: options.threads } : {}),
    },
    options.onProgress,
    options.signal,
  );
}

function planSamples(
  trainSplit: readonly TrainingSample[],
  validationSplit: () => TrainingSample[],
  plan: NonNullable<TrainFromWorkspaceOptions['plan']>,
): { train: TrainingSample[]; validation: TrainingSample[] } {
  if (plan === 'validation') return { train: [...trainSplit], validation: validationSplit() };
  if (plan === 'development' || 'developmentFold' in plan) {
    const fold = plan === 'development' ? 0 : plan.developmentFold;
    return {
      train: trainSplit.filter((s) => developmentSplit(s.patientId, fold) === 'fit'),
      validation: trainSplit.filter((s) => developmentSplit(s.patientId, fold) === 'tune'),
    };
  }
  const few = [
    ...trainSplit.filter((s) => s.positivePixels > 0).slice(0, plan.overfit),
    ...trainSplit.filter((s) => s.positivePixels === 0).slice(0, plan.overfit),
  ];
  return { train: few, validation: few };
}

/** One line per step for terminals and logs. */
export function formatTrainingProgress(p: TrainingProgress): string {
  const line = `step ${p.step}/${p.totalSteps} size ${p.size} loss ${p.loss.toFixed(4)} lr ${p.learningRate.toExponential(2)} ${p.samplesPerSecond.toFixed(2)} samples/s eta ${(p.etaSeconds / 3600).toFixed(2)} h`;
  return p.validation
    ? `${line} | validation AUC ${p.validation.imageAUC.toFixed(3)} sens@1FP ${p.validation.lesionSensitivityAt1FP.toFixed(3)} dice ${p.validation.lesionDice.toFixed(3)}`
    : line;
}
