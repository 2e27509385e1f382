import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { seededRandom } from '../../main/evaluation/bootstrap.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { CROP_DEFAULTS, prepareSample, sampleBatch } from '../../main/training/batchSampler.js';
import { TrainingSetBuilder } from '../../main/training/TrainingSetBuilder.js';
import { trainingStep } from '../../main/training/trainModel.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { benchModelFolder, round, trackPeakRss } from './benchUtil.js';

async function samplesPerSecond(size: number, steps = 3, batchSize = 4): Promise<number> {
  const model = createDensePredictionModel({ widthMultiplier: 0.25 });
  const optimizer = tf.train.adam(1e-3);
  const scan = new Uint8Array(1024 * 1024).map((_, i) => (i % 1024 < 600 ? 90 + (i % 37) : 0));
  const mask = new Uint8Array(1024 * 1024);
  mask.fill(255, 500 * 1024 + 300, 500 * 1024 + 340);
  const samples = [prepareSample({ rows: 1024, columns: 1024, scan, mask })];
  const config = { batchSize, positiveWeight: 10, softIouWeight: 0 };
  const step = async (i: number) => {
    const batch = sampleBatch(
      samples,
      batchSize,
      0.5,
      { ...CROP_DEFAULTS, size, sampleSpacingMm: 0.2, modelSpacingMm: 0.6 },
      seededRandom(i),
    );
    const loss = trainingStep(model, optimizer, batch, config, size);
    await loss.data();
    loss.dispose();
  };
  await step(0); // warm-up
  const start = performance.now();
  for (let i = 1; i <= steps; i++) await step(i);
  const rate = (steps * batchSize) / ((performance.now() - start) / 1000);
  model.dispose();
  optimizer.dispose();
  return rate;
}

/** Event-loop lag (ms) of this thread, sampled every 10 ms until stopped. */
function trackLag(): () => { p50: number; p99: number; max: number } {
  const lags: number[] = [];
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 10;
  }, 10);
  return () => {
    clearInterval(timer);
    lags.sort((a, b) => a - b);
    const at = (q: number) => round(lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0);
    return { p50: at(0.5), p99: at(0.99), max: round(lags.at(-1) ?? 0) };
  };
}

/** Training speed on wasm (width x0.25, batch 4), and the main thread's responsiveness during a fine-tune. */
export async function trainingBench(): Promise<Record<string, unknown>> {
  await selectBackend({ prefer: 'wasm' });
  const results: Record<string, unknown> = {
    samplesPerSecond320: round(await samplesPerSecond(320), 2),
    samplesPerSecond512: round(await samplesPerSecond(512, 2), 2),
  };
  const { dir: modelsDir } = await benchModelFolder(0.25);
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace, {
      shippedModelsDir: modelsDir,
      analysis: { backend: 'wasm' },
    });
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    await new TrainingSetBuilder(backend.workspace).buildFromGroundTruth();
    const peak = trackPeakRss();
    const lag = trackLag();
    const start = performance.now();
    const job = backend.fineTunes.start({ steps: 12, size: 256 });
    const done = await backend.fineTunes.waitFor(job.id);
    results['fineTuneInBackground'] = {
      status: done.status,
      steps: 12,
      seconds: round((performance.now() - start) / 1000),
      eventLoopLagMs: lag(),
      targetP99Ms: 50,
      peakRssMB: peak(),
    };
    await backend.close();
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(modelsDir, { recursive: true, force: true });
  }
  return results;
}
