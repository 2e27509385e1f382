import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { convFlops } from '../../main/ml/model/flops.js';
import { SHARED_DICOM, SHARED_MIAS, hasSharedData } from '../helpers/paths.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { benchModelFolder, round, trackPeakRss } from './benchUtil.js';

const FFDM = { rows: 4096, columns: 3328, spacing: 0.07 };

/** A 4-view FFDM study: 3328x4096 at 0.07 mm, breast-shaped tissue against the chest wall. */
function writeFfdmStudy(dir: string): void {
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

/**
 * Inference speed on the wasm backend: per 640x640 input and whole images, achieved GFLOP/s against
 * the same backend's conv ceiling, and a 4-view FFDM study with 1 and 2 workers (wall time, peak RSS).
 */
export async function inferenceBench(): Promise<Record<string, unknown>> {
  const selection = await selectBackend({ prefer: 'wasm' });
  const results: Record<string, unknown> = { backend: selection.backend };
  let start: number;

  const { dir: modelsDir } = await benchModelFolder(0.25);
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  const studyDir = mkdtempSync(join(tmpdir(), 'mammo-ffdm-'));
  try {
    writeFfdmStudy(studyDir);
    for (const workers of [1, 2]) {
      const backend = MammoBackend.open(workspace, {
        shippedModelsDir: modelsDir,
        analysis: { workers, backend: 'wasm' },
      });
      const { studies } = await backend.importFiles({ paths: [studyDir], format: 'dicom' });
      // Warm the workers (backend + model load) on one image, then time the whole study uncached.
      const detail = await backend.getStudy({ studyId: studies[0]!.id });
      await backend.analyzeImage({ imageId: detail.images[0]!.id, force: true });
      const peak = trackPeakRss();
      start = performance.now();
      await Promise.all(
        detail.images.map((image) => backend.analyzeImage({ imageId: image.id, force: true })),
      );
      const seconds = (performance.now() - start) / 1000;
      results[`ffdm4View_${workers}worker${workers > 1 ? 's' : ''}`] = {
        seconds: round(seconds, 2),
        peakRssMB: peak(),
        targetSeconds: 15,
      };

      if (workers === 1 && hasSharedData) {
        const file = (name: string) => backend.analysis.analyzeFile(name);
        const mias = await file(join(SHARED_MIAS, 'images', 'mdb001.png'));
        const j2k = await file(join(SHARED_DICOM, 'MG1_J2KI.dcm'));
        const jply = await file(join(SHARED_DICOM, 'MG1_JPLY.dcm'));
        results['fullImage'] = {
          miasMs: round(mias.timingsMs.total),
          mg1J2kMs: round(j2k.timingsMs.total),
          mg1JpegMs: round(jply.timingsMs.total),
          note: 'MG1 has no pixel spacing: a 24 cm image height is assumed',
        };
      }
      await backend.close();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(studyDir, { recursive: true, force: true });
    rmSync(modelsDir, { recursive: true, force: true });
  }

  // After the study, so its peak RSS is not inflated by a model in this thread. Throughput in this thread: the network alone, and a single big conv as the ceiling.
  const model = createDensePredictionModel({ widthMultiplier: 0.25 });
  const input = tf.zeros([1, 640, 640, 1]);
  (model.predict(input) as tf.Tensor).dispose(); // warm-up
  const runs = 3;
  start = performance.now();
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
