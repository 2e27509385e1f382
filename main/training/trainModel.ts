import { readFileSync } from 'node:fs';
import { seededRandom } from '../evaluation/bootstrap.js';
import { cardValidation, type EvaluationReport } from '../evaluation/scoreEvaluation.js';
import { loadSegmentationModel, tileRunnerFor } from '../inference/modelRunner.js';
import { tf } from '../ml/backend/tf.js';
import { registerExactNearestUpsamplingGradient } from '../ml/kernels/nearestUpsamplingGradient.js';
import { segmentationLoss } from '../ml/loss.js';
import { createDensePredictionModel } from '../ml/model/densePredictionModel.js';
import { saveModelFolder } from '../registry/modelFolder.js';
import { CROP_DEFAULTS, prepareSample, sampleBatch } from './batchSampler.js';
import { findCheckpoint, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint.js';
import { decodeRgbSample } from './rgbSample.js';
import { learningRateAt, stageAt, totalSteps, type TrainingConfig } from './trainingConfig.js';
import type { TrainingJobSpec, TrainingProgress, TrainingResult } from './trainingProtocol.js';
import { validateOnSamples } from './validateOnSamples.js';

/**
 * One optimizer step on a batch (NHWC-flat images and 0/1 labels of side `size`); returns the loss.
 * The logits come out at S/2: the loss is taken there, against each 2x2 block's lesion fraction.
 * Resizing the logits up instead would need the bilinear gradient, which ignores half-pixel
 * centres on cpu and wasm (inference resizes forward only, where it is exact). The layers' L2
 * terms (the 1x1 bottleneck and the logits, as published) are added to the loss.
 */
export function trainingStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: { images: Float32Array; labels: Float32Array },
  config: Pick<TrainingConfig, 'batchSize' | 'positiveWeight' | 'softIouWeight'>,
  size: number,
): tf.Scalar {
  return tf.tidy(() => {
    const images = tf.tensor4d(batch.images, [config.batchSize, size, size, 1]);
    const labels = tf.avgPool(tf.tensor4d(batch.labels, [config.batchSize, size, size, 1]), 2, 2, 'valid');
    return optimizer.minimize(() => {
      const logits = model.apply(images, { training: true }) as tf.Tensor4D;
      const data = segmentationLoss(labels, logits, {
        positiveWeight: config.positiveWeight,
        softIouWeight: config.softIouWeight,
      });
      const regularisation = model.calculateLosses();
      return regularisation.length ? (tf.add(data, tf.addN(regularisation)) as tf.Scalar) : data;
    }, true)!;
  });
}

/**
 * The training loop: seeded batches from the RGB set, Adam with step decay, progressive sizes,
 * atomic checkpoints every N steps (resumed on restart), validation on the fixed split every
 * "epoch", and the result saved as a model folder with its card. Runs in whatever thread calls it.
 */
export async function trainModel(
  spec: TrainingJobSpec,
  onProgress: (progress: TrainingProgress) => void = () => undefined,
  signal?: AbortSignal,
  /** While its first element is above 0 (inference is running), training waits between steps. */
  pauseFlag?: Int32Array,
): Promise<TrainingResult> {
  const { config } = spec;
  registerExactNearestUpsamplingGradient();
  const samples = spec.trainSamples.map((path) => prepareSample(decodeRgbSample(readFileSync(path), path)));
  if (samples.length === 0) throw new Error('no training samples');

  const model = spec.initialModel
    ? await loadSegmentationModel(spec.initialModel.folder, spec.initialModel.card)
    : createDensePredictionModel({ widthMultiplier: config.widthMultiplier, seed: config.seed });
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
  const started = performance.now();
  const startStep = state.step;
  let recentLoss = Number.NaN;
  while (state.step < total) {
    signal?.throwIfAborted();
    while (pauseFlag && Atomics.load(pauseFlag, 0) > 0)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const { size } = stageAt(config, state.step);
    const learningRate = learningRateAt(config, state.step);
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    // Each step's batch depends only on (seed, step), so a resumed run sees the same data.
    const random = seededRandom(config.seed * 1_000_003 + state.step);
    const batch = sampleBatch(samples, config.batchSize, config.roiShare, { ...cropOptions, size }, random);
    const loss = trainingStep(model, optimizer, batch, config, size);
    recentLoss = (await loss.data())[0]!;
    loss.dispose();
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
    if (spec.validationSamples.length && (state.step % config.validateEvery === 0 || state.step === total)) {
      const report = await validateOnSamples(tileRunnerFor(model), spec, signal);
      progress.validation = {
        imageAUC: report.imageAUC,
        lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
        lesionDice: report.lesionDice,
        pixelF1: report.pixelF1,
      };
    }
    if (state.step % config.checkpointEvery === 0 || state.step === total)
      await saveCheckpoint(spec.checkpointDir, model, optimizer, state);
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
    parentValidation: (state['parentValidation'] as EvaluationReport | undefined) ?? null,
  };
}
