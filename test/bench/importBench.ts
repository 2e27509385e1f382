import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MiasImporter } from '../../main/studies/mias/MiasImporter.js';
import { MIAS_FIXTURE, SHARED_MIAS, hasSharedData } from '../helpers/paths.js';

/**
 * Import throughput over the 208 shared mini-MIAS images (files/s and MB/s), into a fresh workspace,
 * and the rate at which an import turns ground truth into training samples (timed on the committed
 * six-image fixture, to keep the bench short).
 */
export async function importBench(): Promise<Record<string, unknown>> {
  if (!hasSharedData) return { skipped: 'shared data not present' };
  const images = join(SHARED_MIAS, 'images');
  const bytes = readdirSync(images).reduce((n, name) => n + statSync(join(images, name)).size, 0);
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace);
    const importer = new MiasImporter(backend.workspace);
    const start = performance.now();
    const result = await importer.importFolder(SHARED_MIAS);
    const seconds = (performance.now() - start) / 1000;
    const reimportStart = performance.now();
    await importer.importFolder(SHARED_MIAS);
    const reimportSeconds = (performance.now() - reimportStart) / 1000;
    await backend.close();
    const samples = await groundTruthSampleRate();
    return {
      files: result.imported,
      megabytes: +(bytes / 1e6).toFixed(1),
      seconds: +seconds.toFixed(3),
      filesPerSecond: +(result.imported / seconds).toFixed(1),
      megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
      reimportFilesPerSecond: +(result.imported / reimportSeconds).toFixed(1),
      groundTruthSamples: samples,
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** importFiles with format mias on the fixture: the import plus its training-sample build (in a worker). */
async function groundTruthSampleRate(): Promise<Record<string, number>> {
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace);
    const start = performance.now();
    const result = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const seconds = (performance.now() - start) / 1000;
    await backend.close();
    return {
      images: result.imported,
      samplesAdded: result.trainingSet?.added ?? 0,
      seconds: +seconds.toFixed(2),
      imagesPerSecond: +(result.imported / seconds).toFixed(2),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
