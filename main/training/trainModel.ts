import { readFileSync } from 'node:fs';
import { seededRandom } from '../evaluation/bootstrap.js';
import { cardValidation } from '../evaluation/scoreEvaluation.js';
import { loadSegmentationModel, tileRunnerFor } from '../inference/modelRunner.js';
import { tf } from '../ml/backend/tf.js';
import { createDensePredictionModel } from '../ml/model/densePredictionModel.js';
import { saveModelFolder } from '../registry/modelFolder.js';
import { CROP_DEFAULTS, prepareSample, sampleBatch } from './batchSampler.js';
import { findCheckpoint, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint.js';
import { defaultTrainingThreads, ReplicaGroup } from './ReplicaGroup.js';
import { decodeRgbSample } from './rgbSample.js';
import { learningRateAt, stageAt, totalSteps } from './trainingConfig.js';
import type { TrainingJobSpec, TrainingProgress, TrainingResult } from './trainingProtocol.js';
import { type CaseReport, validateOnSamples } from './validateOnSamples.js';

/**
 * The training loop: seeded batches from the RGB set, Adam with step decay, progressive sizes,
 * atomic checkpoints every N steps (resumed on restart), validation on the fixed split every
 * "epoch", and the result saved as a model folder with its card. Runs in whatever thread calls it,
 * with `spec.threads - 1` replica workers beside it when the batch is split into shares
 * (`config.replicas`); cancelling (the signal, or terminating this thread) ends them too.
 */
export async function trainModel(
  spec: TrainingJobSpec,
  onProgress: (progress: TrainingProgress) => void = () => undefined,
  signal?: AbortSignal,
  /** While its first element is above 0 (inference is running), training waits between steps. */
  pauseFlag?: Int32Array,
): Promise<TrainingResult> {
  const { config } = spec;
  const samples = spec.trainSamples.map((path) => prepareSample(decodeRgbSample(readFileSync(path), path)));
  if (samples.length === 0) throw new Error('no training samples');

  const model = spec.initialModel
    ? await loadSegmentationModel(spec.initialModel.folder, spec.initialModel.card)
    : createDensePredictionModel({
        widthMultiplier: config.widthMultiplier,
        seed: config.seed,
        headActivation: config.headActivation,
      });
  const optimizer = tf.train.adam(config.learningRate);
  const checkpoint = findCheckpoint(spec.checkpointDir);
  let state: TrainingState = { step: 0, randomState: config.seed, lossHistory: [], bestValidation: null };
  if (checkpoint) {
    state = await loadCheckpoint(checkpoint, model, optimizer);
  }

  // Measured before any update, on the same split and code as the result, for the promotion gate.
  if (spec.initialModel && spec.validationSamples.length && !state['parentValidation']) {
    state['parentValidation'] = await validateOnSamples(tileRunnerFor(model), spec, signal);
  }

  const total = totalSteps(config);
  const cropOptions = {
    ...CROP_DEFAULTS,
    scaleJitter: config.scaleJitter,
    intensityJitter: config.intensityJitter,
    sampleSpacingMm: spec.sampleSpacingMm,
    modelSpacingMm: spec.card.inputPixelSpacingMm,
    normalisation: spec.card.normalisation,
  };
  const group = await ReplicaGroup.start(model, optimizer, {
    replicas: config.replicas,
    threads: spec.threads ?? defaultTrainingThreads(config.replicas),
  });
  try {
    const started = performance.now();
    const startStep = state.step;
    let recentLoss = Number.NaN;
    while (state.step < total) {
      signal?.throwIfAborted();
      while (pauseFlag && Atomics.load(pauseFlag, 0) > 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const { size } = stageAt(config, state.step);
      const learningRate = learningRateAt(config, state.step);
      // Each step's batch depends only on (seed, step), so a resumed run sees the same data.
      const random = seededRandom(config.seed * 1_000_003 + state.step);
      const batch = sampleBatch(samples, config.batchSize, config.roiShare, { ...cropOptions, size }, random);
      recentLoss = await group.step({ ...batch, count: config.batchSize }, config, size, learningRate);
      if (!Number.isFinite(recentLoss))
        throw new Error(`training diverged at step ${state.step} (loss ${recentLoss})`);
      state.step++;
      state.lossHistory.push({ step: state.step, loss: recentLoss });
      if (state.lossHistory.length > 2000) state.lossHistory.splice(1, 1);

      const elapsed = (performance.now() - started) / 1000;
      const stepsDone = state.step - startStep;
      const progress: TrainingProgress = {
        step: state.step,
        totalSteps: total,
        epoch: Math.floor(state.step / config.validateEvery),
        size,
        loss: recentLoss,
        learningRate,
        samplesPerSecond: (stepsDone * config.batchSize) / Math.max(elapsed, 1e-9),
        etaSeconds: ((total - state.step) * elapsed) / Math.max(stepsDone, 1),
      };
      if (
        spec.validationSamples.length &&
        (state.step % config.validateEvery === 0 || state.step === total)
      ) {
        const report = await validateOnSamples(tileRunnerFor(model), spec, signal);
        progress.validation = {
          imageAUC: report.imageAUC,
          lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
          lesionDice: report.lesionDice,
          pixelF1: report.pixelF1,
        };
      }
      if (state.step % config.checkpointEvery === 0 || state.step === total) {
        await group.checkReplicasAgree();
        await saveCheckpoint(spec.checkpointDir, model, optimizer, state);
      }
      onProgress(progress);
    }

    const report = spec.validationSamples.length
      ? await validateOnSamples(tileRunnerFor(model), spec, signal)
      : null;
    const card = await saveModelFolder(model, spec.outputFolder, {
      ...spec.card,
      validation: report ? cardValidation(report, 'validation (training-time, sample masks)') : null,
    });
    model.dispose();
    optimizer.dispose();
    return {
      card,
      steps: state.step,
      finalLoss: recentLoss,
      lossHistory: state.lossHistory,
      validation: report,
      parentValidation: (state['parentValidation'] as CaseReport | undefined) ?? null,
    };
  } finally {
    await group.close();
  }
}
