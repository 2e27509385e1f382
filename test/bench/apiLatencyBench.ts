import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { encode } from 'fast-png';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { ImageFileSource } from '../../main/server/ImageFileSource.js';
import { MammoServer } from '../../main/server/MammoServer.js';
import { PredictionMapSource } from '../../main/server/PredictionMapSource.js';
import { headerDeflateBomb } from '../faults/headerDeflateBomb.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { round } from './benchUtil.js';

/** A full-field detector's image (Hologic Selenia Dimensions: 3328 x 4096, 16-bit, 0.07 mm). */
const ROWS = 4096;
const COLUMNS = 3328;
const IMPORT_FILES = 4;
const IDLE_MS = 2000;
/** Issue 20's targets while a header deflate bomb is refused. */
const BOMB_TARGETS = { p99Ms: 100, peakRssMB: 1024 };
/** Copies of the bomb imported in one batch; batches go on for IDLE_MS, long enough for a p99. */
const BOMB_COPIES = 10;

/**
 * The probe: a client on its own thread (so that a blocked server thread cannot delay its clock)
 * calls `listStudies` over HTTP back to back, 5 ms apart, and reports each round trip in ms and
 * the process's largest resident set seen between calls (one process: the server's memory).
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
parentPort.on('message', () => { running = false; });
(async () => {
  const latencies = [];
  let failed = 0;
  let peakRss = process.memoryUsage.rss();
  while (running) {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const start = performance.now();
    try {
      const response = await fetch(workerData.origin + '/api/listStudies', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + workerData.token },
        body: '{}',
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
    } catch {
      failed++; // a reset keep-alive connection: counted, not timed
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  parentPort.postMessage({ latencies, failed, peakRss });
})();
`;

/**
 * API latency (p50/p95/p99/max of `listStudies` round trips over the loopback server) while idle,
 * while the server imports full-field DICOM files, and while it saves annotations on them: how long
 * other requests wait on work that should not hold the server's main thread. `loopDelayMaxMs` is
 * the server thread's own longest event-loop stall in the phase: a round trip much longer than it
 * waited for the CPU (other processes, the workers), not for the server's thread.
 */
export async function apiLatencyBench(): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'mammo-bench-latency-'));
  const backend = MammoBackend.open(join(root, 'workspace'));
  const server = new MammoServer({
    api: backend,
    images: new ImageFileSource(backend.workspace),
    predictionMaps: new PredictionMapSource(backend.workspace),
    staticRoot: join(root, 'no-bundle'),
  });
  try {
    const { origin, token } = await server.start();
    const call = async (method: string, input: unknown): Promise<unknown> => {
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      if (!response.ok) throw new Error(`${method}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const folder = join(root, 'scans');
    mkdirSync(folder);
    for (let i = 0; i < IMPORT_FILES; i++) {
      writeFileSync(
        join(folder, `scan-${i}.dcm`),
        writeSyntheticDicom({
          rows: ROWS,
          columns: COLUMNS,
          patientId: 'BENCH',
          laterality: i % 2 ? 'L' : 'R',
          imageLaterality: i % 2 ? 'L' : 'R',
          viewPosition: i < 2 ? 'CC' : 'MLO',
          pixelSpacing: [0.07, 0.07],
        }),
      );
    }

    const idle = await probeWhile(
      origin,
      token,
      () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)),
    );
    // Before the full-field imports, so that their memory does not hide this phase's.
    const bombFolder = join(root, 'bomb');
    mkdirSync(bombFolder);
    const bomb = headerDeflateBomb(
      writeSyntheticDicom({ rows: 48, columns: 40, transferSyntax: 'deflated-le' }),
    );
    for (let i = 0; i < BOMB_COPIES; i++)
      writeFileSync(join(bombFolder, `header-deflate-bomb-${i}.dcm`), bomb);
    const bombed = await probeWhile(origin, token, async () => {
      const start = performance.now();
      const batches: unknown[] = [];
      do batches.push(await call('importFiles', { paths: [bombFolder], format: 'dicom' }));
      while (performance.now() - start < IDLE_MS);
      return batches;
    });
    const bombBatches = bombed.result as { imported: number; errors: { reason: string }[] }[];
    const bombResult = {
      imported: bombBatches.reduce((n, b) => n + b.imported, 0),
      errors: bombBatches.flatMap((b) => b.errors),
    };
    if (bombResult.imported !== 0 || bombResult.errors.length !== BOMB_COPIES * bombBatches.length)
      throw new Error(`the header deflate bomb was not refused: ${JSON.stringify(bombResult)}`);

    const imported = await probeWhile(origin, token, () =>
      call('importFiles', { paths: [folder], format: 'dicom' }),
    );
    const importResult = imported.result as { imported: number; errors: unknown[] };
    if (importResult.imported !== IMPORT_FILES)
      throw new Error(
        `imported ${importResult.imported} of ${IMPORT_FILES}: ${JSON.stringify(importResult.errors)}`,
      );

    const images: { id: number }[] = [];
    for (const study of (await call('listStudies', {})) as { id: number }[])
      images.push(
        ...((await call('getStudy', { studyId: study.id })) as { images: { id: number }[] }).images,
      );
    const mask = new Uint8Array(ROWS * COLUMNS);
    for (let r = 1800; r < 2200; r++) mask.fill(255, r * COLUMNS + 1200, r * COLUMNS + 1600);
    const maskPng = Buffer.from(
      encode({ width: COLUMNS, height: ROWS, data: mask, channels: 1, depth: 8 }),
    ).toString('base64');
    const saved = await probeWhile(origin, token, async () => {
      for (const image of images)
        await call('saveAnnotation', {
          imageId: image.id,
          maskPng,
          author: 'bench',
          findings: { decisions: [], added: [] },
        });
    });

    return {
      image: `${COLUMNS}x${ROWS}, 16-bit native DICOM (${round((ROWS * COLUMNS * 2) / 1e6)} MB)`,
      probe: 'POST /api/listStudies over 127.0.0.1 from another thread, back to back, 5 ms apart',
      idle: idle.stats,
      duringHeaderBombImport: {
        refused: bombResult.errors.length,
        files: `batches of ${BOMB_COPIES} copies of ${round(bomb.length / 1e6, 1)} MB deflated, a 3 GiB private OB element before Pixel Data`,
        refusedWith: bombResult.errors[0]!.reason,
        seconds: bombed.seconds,
        ...bombed.stats,
        targets: BOMB_TARGETS,
        meetsTargets:
          bombed.stats.p99Ms! < BOMB_TARGETS.p99Ms && bombed.stats.peakRssMB! < BOMB_TARGETS.peakRssMB,
      },
      duringImport: { files: IMPORT_FILES, seconds: imported.seconds, ...imported.stats },
      duringSave: { saves: images.length, seconds: saved.seconds, ...saved.stats },
    };
  } finally {
    await server.close();
    await backend.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function probeWhile<T>(
  origin: string,
  token: string,
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; stats: Record<string, number> }> {
  const probe = new Worker(PROBE, { eval: true, workerData: { origin, token } });
  const probed = new Promise<{ latencies: number[]; failed: number; peakRss: number }>((resolve, reject) => {
    probe.once('message', resolve);
    probe.once('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 100)); // the probe is running
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const start = performance.now();
  const result = await work();
  const seconds = round((performance.now() - start) / 1000, 2);
  loopDelay.disable();
  probe.postMessage('stop');
  const { latencies, failed, peakRss } = await probed;
  const samples = latencies.sort((a, b) => a - b);
  await probe.terminate();
  const at = (q: number) =>
    round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN);
  return {
    result,
    seconds,
    stats: {
      requests: samples.length,
      failedRequests: failed,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: at(1),
      loopDelayMaxMs: round(loopDelay.max / 1e6),
      peakRssMB: round(peakRss / 2 ** 20),
    },
  };
}
