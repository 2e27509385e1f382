import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { SHARED_MIAS, hasSharedData } from '../helpers/paths.js';

/** Import throughput over the 208 shared mini-MIAS images (files/s and MB/s), into a fresh workspace. */
export async function importBench(): Promise<Record<string, unknown>> {
  if (!hasSharedData) return { skipped: 'shared data not present' };
  const images = join(SHARED_MIAS, 'images');
  const bytes = readdirSync(images).reduce((n, name) => n + statSync(join(images, name)).size, 0);
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace);
    const start = performance.now();
    const result = await backend.importFiles({ paths: [SHARED_MIAS], format: 'mias' });
    const seconds = (performance.now() - start) / 1000;
    const reimportStart = performance.now();
    await backend.importFiles({ paths: [SHARED_MIAS], format: 'mias' });
    const reimportSeconds = (performance.now() - reimportStart) / 1000;
    backend.close();
    return {
      files: result.imported,
      megabytes: +(bytes / 1e6).toFixed(1),
      seconds: +seconds.toFixed(3),
      filesPerSecond: +(result.imported / seconds).toFixed(1),
      megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
      reimportFilesPerSecond: +(result.imported / reimportSeconds).toFixed(1),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
