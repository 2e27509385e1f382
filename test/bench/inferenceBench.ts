import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { convFlops } from '../../main/ml/model/flops.js';
import { MIAS_FIXTURE, SHARED_DICOM, SHARED_MIAS, hasSharedData } from '../helpers/paths.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { benchModelFolder, inFreshProcess, round, trackPeakRss } from './benchUtil.js';

const FFDM = { rows: 4096, columns: 3328, spacing: 0.07 };

/** A 4-view FFDM study: 3328x4096 at 0.07 mm, breast-shaped tissue against the chest wall. */
export function writeFfdmStudy(dir: string): void {
  const views = [
    ['R', 'CC'],
    ['L', 'CC'],
    ['R', 'MLO'],
    ['L', 'MLO'],
  ] as const;
  const pixels = new Uint16Array(FFDM.rows * FFDM.columns);
  for (let r = 0; r < FFDM.rows; r++) {
    const half =
      Math.sqrt(Math.max(0, 1 - ((r - FFDM.rows / 2) / (FFDM.rows * 0.45)) ** 2)) * FFDM.columns * 0.55;
    for (let c = 0; c < half; c++) pixels[r * FFDM.columns + c] = 1500 + ((r * 7 + c * 13) % 900);
  }
  views.forEach(([laterality, view], i) => {
    writeFileSync(
      join(dir, `${laterality}${view}.dcm`),
      writeSyntheticDicom({
        rows: FFDM.rows,
        columns: FFDM.columns,
        bitsAllocated: 16,
        bitsStored: 12,
        pixels,
        patientId: 'BENCH-FFDM',
        studyInstanceUid: '2.25.424242',
        imageLaterality: laterality,
        viewPosition: view,
        pixelSpacing: [FFDM.spacing, FFDM.spacing],
        windowCenter: 2047,
        windowWidth: 4095,
        instanceNumber: i + 1,
      }),
    );
  });
}

export interface StudyTiming {
  seconds: number;
  peakRssMB: number;
  /** CPU time of every thread of the process while the study ran. */
  cpuSeconds: number;
}

/** Wall time, peak RSS and CPU time of one study analysis. */
export async function timeStudy(analyse: () => Promise<unknown>): Promise<StudyTiming> {
  const peak = trackPeakRss();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await analyse();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds: round(seconds, 2),
    peakRssMB: peak(),
    cpuSeconds: round((used.user + used.system) / 1e6, 2),
  };
}

/** One FFDM study run: the warm study, and the cold one's time and peak. */
export type StudyRun = StudyTiming & { coldSeconds: number; coldPeakRssMB: number };

/**
 * The FFDM study in `studyDir` imported into a new workspace and analysed twice with `workers`
 * inference workers (cold: the first study starts the workers, thread, backend and model; warm:
 * the next one). Meant to run in a fresh process (inFreshProcess), so its peak RSS is the
 * app's: this process's import, decode worker and inference workers, and nothing another
 * configuration or bench left behind. With `fullImages`, also the whole-image timings on shared data.
 */
export async function runFfdmStudy(options: {
  workers: number;
  modelsDir: string;
  studyDir: string;
  fullImages?: boolean;
  /** Analyse while a background fine-tune (the fixture's samples, 256 px) trains, as a reader may. */
  duringFineTune?: boolean;
}): Promise<{ study: StudyRun; fullImage?: Record<string, unknown> }> {
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace, {
      shippedModelsDir: options.modelsDir,
      analysis: { workers: options.workers, backend: 'wasm' },
    });
    try {
      const { studies } = await backend.importFiles({ paths: [options.studyDir], format: 'dicom' });
      const studyId = studies[0]!.id;
      const fineTune = options.duringFineTune ? await startFineTune(backend) : undefined;
      const cold = await timeStudy(() => backend.analyzeStudy({ studyId, force: true }));
      const warm = await timeStudy(() => backend.analyzeStudy({ studyId, force: true }));
      if (fineTune !== undefined) backend.fineTunes.cancel(fineTune);
      const study = { ...warm, coldSeconds: cold.seconds, coldPeakRssMB: cold.peakRssMB };
      if (!options.fullImages || !hasSharedData) return { study };
      const file = (name: string) => backend.analysis.analyzeFile(name);
      const mias = await file(join(SHARED_MIAS, 'images', 'mdb001.png'));
      const j2k = await file(join(SHARED_DICOM, 'MG1_J2KI.dcm'));
      const jply = await file(join(SHARED_DICOM, 'MG1_JPLY.dcm'));
      const fullImage = {
        miasMs: round(mias.timingsMs.total),
        mg1J2kMs: round(j2k.timingsMs.total),
        mg1JpegMs: round(jply.timingsMs.total),
        note: 'MG1 has no pixel spacing: a 24 cm image height is assumed',
      };
      return { study, fullImage };
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Starts a long background fine-tune on the fixture's samples; resolves with its job id once it trains. */
async function startFineTune(backend: MammoBackend): Promise<number> {
  await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' }); // builds its training samples
  const training = new Promise<void>((resolve) => {
    const unsubscribe = backend.subscribe('mammo:finetune.progress', () => {
      unsubscribe();
      resolve();
    });
  });
  const job = await backend.fineTunes.start({ steps: 10_000, size: 256 });
  await training;
  return job.id;
}

/**
 * Inference speed on the wasm backend: per 640x640 input and whole images, achieved GFLOP/s against
 * the same backend's conv ceiling, and a 4-view FFDM study with 1 and 2 workers in one run, each in
 * a fresh process (wall time, peak RSS and CPU time, for the first study, which starts the
 * workers, and for the next one), and with 1 worker while a background fine-tune trains.
 */
export async function inferenceBench(): Promise<Record<string, unknown>> {
  const selection = await selectBackend({ prefer: 'wasm' });
  const results: Record<string, unknown> = { backend: selection.backend };

  const { dir: modelsDir } = await benchModelFolder(0.25);
  const studyDir = mkdtempSync(join(tmpdir(), 'mammo-ffdm-'));
  try {
    writeFfdmStudy(studyDir);
    const study: Record<string, StudyRun> = {};
    for (const workers of [1, 2]) {
      const run = await inFreshProcess<Awaited<ReturnType<typeof runFfdmStudy>>>(
        import.meta.url,
        'runFfdmStudy',
        { workers, modelsDir, studyDir, fullImages: workers === 1 },
      );
      study[`${workers}worker${workers > 1 ? 's' : ''}`] = run.study;
      if (run.fullImage) results['fullImage'] = run.fullImage;
    }
    const duringFineTune = await inFreshProcess<Awaited<ReturnType<typeof runFfdmStudy>>>(
      import.meta.url,
      'runFfdmStudy',
      { workers: 1, modelsDir, studyDir, duringFineTune: true },
    );
    const [one, two] = [study['1worker']!, study['2workers']!];
    results['ffdm4View'] = {
      ...study,
      targetSeconds: 15,
      targetPeakRssMB: 1536,
      // Above 1: the second worker pays. cpuSeconds (all threads) shows whether it only waited for a core.
      speedupWith2Workers: round(one.seconds / two.seconds, 2),
      extraPeakRssMBWith2Workers: two.peakRssMB - one.peakRssMB,
      // The default worker while a background fine-tune trains (it waits between steps meanwhile).
      '1workerDuringFineTune': duringFineTune.study,
      loadAverage1m: round(loadavg()[0]!, 2),
    };
  } finally {
    rmSync(studyDir, { recursive: true, force: true });
    rmSync(modelsDir, { recursive: true, force: true });
  }

  // Throughput in this thread: the network alone, and a single big conv as the ceiling.
  const model = createDensePredictionModel({ widthMultiplier: 0.25 });
  const input = tf.zeros([1, 640, 640, 1]);
  (model.predict(input) as tf.Tensor).dispose(); // warm-up
  const runs = 3;
  let start = performance.now();
  for (let i = 0; i < runs; i++) await (model.predict(input) as tf.Tensor).data();
  const perInputMs = (performance.now() - start) / runs;
  const flops = convFlops(model, [1, 640, 640, 1]).flops;
  const x = tf.randomNormal([1, 160, 160, 64]);
  const w = tf.randomNormal([3, 3, 64, 64]);
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dispose();
  start = performance.now();
  for (let i = 0; i < runs; i++) await tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').data();
  const ceilingGflops = (2 * 9 * 64 * 64 * 160 * 160 * runs) / ((performance.now() - start) / 1000) / 1e9;
  const achieved = flops / (perInputMs / 1000) / 1e9;
  results['perInput640'] = {
    ms: round(perInputMs),
    gflop: round(flops / 1e9, 2),
    achievedGflops: round(achieved, 2),
    convCeilingGflops: round(ceilingGflops, 2),
    ratio: round(achieved / ceilingGflops, 2),
  };
  tf.dispose([input, x, w]);
  model.dispose();

  return results;
}
