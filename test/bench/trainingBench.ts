import { mkdtempSync, rmSync } from 'node:fs';
import { getPriority, loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { WorkerPool } from '../../main/common/WorkerPool.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { prepareSample } from '../../main/training/batchSampler.js';
import { decodeRgbSample, encodeRgbSample } from '../../main/training/rgbSample.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { syntheticFilm } from '../helpers/syntheticFilm.js';
import { benchModelFolder, inFreshProcess, round, trackPeakRss } from './benchUtil.js';
import {
  samplesPerSecond,
  timeTrainingSteps,
  type Throughput,
  type ThroughputRequest,
} from './trainingThroughput.js';

/**
 * Samples/s of the real data-parallel training step (`ReplicaGroup`, width x0.25, the recipe's
 * batch of 8), timed one after the other in one run: one replica (the single-core step), two
 * replicas computed in one thread (the same result as two threads), and two replicas in two
 * threads; for scale, two independent seeds trained side by side in two workers (what two cores
 * give with no exchange at all). The load average and this process's niceness are recorded with
 * them: on a shared machine the second core may not be free.
 */
async function dataParallelThroughput(size: number, steps: number): Promise<Record<string, number>> {
  const request = { size, steps, batchSize: 8 };
  const loadBefore = loadavg()[0]!;
  const oneReplica = samplesPerSecond([await timeTrainingSteps(request)]);
  const twoInOneThread = samplesPerSecond([await timeTrainingSteps({ ...request, replicas: 2, threads: 1 })]);
  const twoReplicas = samplesPerSecond([await timeTrainingSteps({ ...request, replicas: 2, threads: 2 })]);
  const pool = new WorkerPool<ThroughputRequest, Throughput>(
    new URL(`./trainingThroughputWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
    2,
    'training-bench',
  );
  let seeds: number;
  try {
    const barrier = { arrived: new Int32Array(new SharedArrayBuffer(4)), parties: 2 };
    seeds = samplesPerSecond(
      await Promise.all([pool.run({ ...request, barrier }), pool.run({ ...request, barrier })]),
    );
  } finally {
    await pool.close();
  }
  return {
    size,
    batchSize: request.batchSize,
    samplesPerSecond1Replica: round(oneReplica, 2),
    samplesPerSecond2ReplicasIn1Thread: round(twoInOneThread, 2),
    samplesPerSecond2Replicas: round(twoReplicas, 2),
    speedupWith2Replicas: round(twoReplicas / oneReplica, 2),
    samplesPerSecond2SeedsSideBySide: round(seeds, 2),
    loadAverage1mBefore: round(loadBefore, 2),
    loadAverage1mAfter: round(loadavg()[0]!, 2),
    niceness: getPriority(),
  };
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

/**
 * A background fine-tune (12 steps of 256 px on the fixture's samples) as the app runs it: its
 * wall time, the main thread's event-loop lag and the process's peak RSS while it trains. Meant to
 * run in a fresh process (inFreshProcess): training in this thread first would leave its wasm heap
 * in the peak.
 */
export async function fineTuneInBackground(): Promise<Record<string, unknown>> {
  await selectBackend({ prefer: 'wasm' });
  const { dir: modelsDir } = await benchModelFolder(0.25);
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace, {
      shippedModelsDir: modelsDir,
      analysis: { backend: 'wasm' },
    });
    try {
      await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' }); // builds its training samples
      const peak = trackPeakRss();
      const lag = trackLag();
      const start = performance.now();
      const job = await backend.fineTunes.start({ steps: 12, size: 256 });
      const done = await backend.fineTunes.waitFor(job.id);
      const seconds = round((performance.now() - start) / 1000);
      const peakRssMB = peak();
      const eventLoopLagMs = lag();
      // What the app goes on holding once the job is over (the trainer's thread has had time to end).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return {
        status: done.status,
        steps: 12,
        seconds,
        eventLoopLagMs,
        targetP99Ms: 50,
        peakRssMB,
        targetPeakRssMB: 1536,
        rssAfterJobMB: round(process.memoryUsage.rss() / 2 ** 20, 0),
      };
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(modelsDir, { recursive: true, force: true });
  }
}

/**
 * What the trainer holds per sample for a whole run (it keeps every sample it draws crops from): a
 * film the size of a 0.2 mm CBIS-DDSM sample (1,292 x 760) with a lesion, prepared `count` times and
 * held, and the RSS that adds per sample. A site fine-tune replaying ~1,000 samples holds 1,000 of
 * them; decoded they took ~2 MB each. The film's noise compresses worse than a real film's (real
 * CBIS-DDSM scans deflate to ~30%), so this is an upper bound. Meant for a fresh process.
 */
export async function trainerSampleStore(count = 40): Promise<Record<string, unknown>> {
  const rows = 1292;
  const columns = 760;
  const film = syntheticFilm({ rows, columns, seed: 3 });
  const mask = new Uint8Array(rows * columns);
  for (let r = 600; r < 700; r++)
    for (let c = 150; c < 250; c++) if ((r - 650) ** 2 + (c - 200) ** 2 < 2500) mask[r * columns + c] = 255;
  const png = encodeRgbSample({ rows, columns, scan: film.display, mask });
  const decoded = () => decodeRgbSample(png);
  prepareSample(decoded()); // warm the code paths and allocators
  const before = process.memoryUsage.rss();
  const peak = trackPeakRss();
  const held = Array.from({ length: count }, () => prepareSample(decoded()));
  const perSampleMB = (process.memoryUsage.rss() - before) / 2 ** 20 / held.length;
  return {
    samples: held.length,
    sampleRows: rows,
    sampleColumns: columns,
    heldMBPerSample: round(perSampleMB, 2),
    heldMBFor1000Samples: round(perSampleMB * 1000, 0),
    peakRssMB: peak(),
  };
}

/**
 * Training speed on wasm (width x0.25): batch 4 in this thread, the data-parallel step with one
 * and two replicas, and a background fine-tune in a fresh process (the main thread's
 * responsiveness and the peak RSS while it trains).
 */
export async function trainingBench(): Promise<Record<string, unknown>> {
  await selectBackend({ prefer: 'wasm' });
  return {
    samplesPerSecond320: round(
      samplesPerSecond([await timeTrainingSteps({ size: 320, steps: 3, batchSize: 4 })]),
      2,
    ),
    samplesPerSecond512: round(
      samplesPerSecond([await timeTrainingSteps({ size: 512, steps: 2, batchSize: 4 })]),
      2,
    ),
    dataParallel: await dataParallelThroughput(256, 3),
    fineTuneInBackground: await inFreshProcess(import.meta.url, 'fineTuneInBackground'),
    trainerSampleStore: await inFreshProcess(import.meta.url, 'trainerSampleStore'),
  };
}
