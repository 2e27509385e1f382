import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { defaultInferenceWorkers } from '../../main/inference/AnalysisService.js';
import { readModelCard } from '../../main/registry/modelFolder.js';
import { MAMMO_BIN, MIAS_FIXTURE } from '../helpers/paths.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

import { cpus, tmpdir } from 'node:os';

describe('whole-scan analysis', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-a', { seed: 1, createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it('analyses a study in workers, caches per model version and recomputes for a new one', async () => {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 2, backend: 'wasm' },
    });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-003')!;
    const progress: number[] = [];
    const unsubscribe = backend.subscribe('mammo:analysis.progress', (p) => progress.push(p.done));
    const analysis = await backend.analyzeStudy({ studyId: study.id });
    unsubscribe();

    expect(analysis).toMatchObject({ modelId: 'tiny-a', backend: 'wasm' });
    expect(analysis.predictions).toHaveLength(2);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const p of analysis.predictions) {
      const map = decode(new Uint8Array(readFileSync(backend.workspace.resolvePath(p.mapPath))));
      expect([map.width, map.height, map.channels]).toEqual([1024, 1024, 1]);
      expect(p.imageScore).toBeGreaterThan(0);
      expect(p.imageScore).toBeLessThanOrEqual(1);
      expect(
        Math.abs(Array.from(map.data).reduce((m, v) => Math.max(m, v), 0) / 255 - p.imageScore),
      ).toBeLessThan(0.01);
      expect(p.findingThreshold).toBe(0.2);
      for (const f of p.findings) expect(f.maxProbability).toBeGreaterThanOrEqual(0.2);
    }
    const scores = analysis.predictions.map((p) => p.imageScore);
    expect(analysis.studyScore).toBe(Math.max(...scores));
    expect(analysis.breastScores.L).not.toBeNull();
    expect(analysis.breastScores.R).not.toBeNull();

    const cached = await backend.analyzeStudy({ studyId: study.id });
    expect(cached.predictions.map((p) => p.createdAt)).toEqual(analysis.predictions.map((p) => p.createdAt));

    // A new model version never reuses the old maps.
    const second = join(tempDir(), 'tiny-b');
    await saveTinyModel(join(second, '..'), 'tiny-b', { seed: 2 });
    cpSync(second, join(backend.registry.workspaceModelsDir, 'tiny-b'), { recursive: true });
    backend.registry.addCandidate(readModelCard(second));
    backend.registry.promote('tiny-b');
    const renewed = await backend.analyzeStudy({ studyId: study.id });
    expect(renewed.modelId).toBe('tiny-b');
    expect(renewed.predictions[0]!.mapPath).toContain('tiny-b');
    await backend.close();
  });

  it('cancels a running analysis, and refuses a corrupt model while the current one keeps working', async () => {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const image = (await backend.getStudy({ studyId: studies[0]!.id })).images[0]!;
    const controller = new AbortController();
    const running = backend.analysis.analyzeImage(image.id, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(running).rejects.toThrow(/abort/i);

    const broken = join(backend.registry.workspaceModelsDir, 'broken');
    cpSync(join(shipped, 'tiny-a'), broken, { recursive: true });
    const card = { ...readModelCard(broken), id: 'broken' };
    writeFileSync(join(broken, 'card.json'), JSON.stringify(card));
    writeFileSync(join(broken, 'weights.bin'), Buffer.alloc(100));
    backend.registry.addCandidate(card);
    await expect(backend.analyzeImage({ imageId: image.id, modelId: 'broken' })).rejects.toThrow(
      /broken: weights.bin does not match the sha256/,
    );
    const ok = await backend.analyzeImage({ imageId: image.id });
    expect(ok.modelId).toBe('tiny-a');
    await backend.close();
  });

  it('analyses a file outside the workspace, assuming a spacing when it has none', async () => {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    const file = join(tempDir(), 'scan.dcm');
    writeFileSync(
      file,
      writeSyntheticDicom({
        rows: 600,
        columns: 400,
        bitsAllocated: 16,
        bitsStored: 12,
        omit: ['PixelSpacing'],
      }),
    );
    const prediction = await backend.analysis.analyzeFile(file);
    expect(prediction).toMatchObject({ rows: 600, columns: 400, spacingAssumed: true, modelId: 'tiny-a' });
    expect(existsSync(backend.workspace.resolvePath(prediction.mapPath))).toBe(true);
    await backend.close();
  });

  /** `mammo evaluate` on the mini-MIAS fixture in a fresh workspace, with the shipped tiny models. */
  const evaluateFixture = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        MAMMO_BIN,
        '--workspace',
        tempDir(),
        'evaluate',
        '--images',
        MIAS_FIXTURE,
        '--annotations',
        join(MIAS_FIXTURE, 'annotations.csv'),
        ...extra,
      ],
      { encoding: 'utf8', env: { ...process.env, MAMMO_MODELS_DIR: shipped, MAMMO_TF_BACKEND: 'wasm' } },
    );

  it('mammo evaluate --json reports every metric with confidence intervals', () => {
    const run = evaluateFixture('--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const key of [
      'imageAUC',
      'imageSensitivity',
      'imageSpecificity',
      'froc',
      'lesionSensitivityAt1FP',
      'pixelPrecision',
      'pixelRecall',
      'pixelF1',
      'lesionIoU',
      'lesionDice',
      'images',
      'backend',
      'ci',
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report).toMatchObject({
      images: 6,
      patients: 3,
      abnormalImages: 4,
      lesions: 4,
      backend: 'wasm',
      modelId: 'tiny-a',
    });
    expect(Array.isArray(report['froc'])).toBe(true);
    expect(report['ci']).toHaveProperty('imageAUC.low');
    // Grouped by the fixture's tissue column (README-MIAS: F fatty, G fatty-glandular, D dense):
    // mdb005 (2 lesions) + mdb006 normal; mdb001, mdb002 abnormal; mdb215 normal + mdb216 (no centre).
    expect(report['byBreastDensity']).toMatchObject({
      fatty: { images: 2, abnormalImages: 1, lesions: 2 },
      'fatty-glandular': { images: 2, abnormalImages: 2, lesions: 2 },
      'dense-glandular': { images: 2, abnormalImages: 1, lesions: 0 },
    });
  });

  it('mammo evaluate --against on mini-MIAS pairs image AUC too: a version against itself differs by exactly zero', () => {
    const run = evaluateFixture('--against', 'tiny-a', '--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      imageAUC: number;
      paired: { comparisons: { metric: string; current: number; difference: number; interval: object }[] };
    };
    // The fixture has normal images (mdb006, mdb215), so image AUC is compared as well.
    expect(report.paired).toMatchObject({
      model: 'tiny-a',
      against: 'tiny-a',
      images: 6,
      patients: 3,
      lesions: 4,
    });
    expect(report.paired.comparisons.map((c) => c.metric)).toEqual([
      'imageAUC',
      'lesionSensitivityAt1FP',
      'lesionDice',
    ]);
    for (const c of report.paired.comparisons)
      expect(c, c.metric).toMatchObject({ difference: 0, interval: { low: 0, high: 0 }, worse: false });
    expect(report.paired.comparisons[0]!.current).toBe(report.imageAUC);
  }, 300_000);
});

describe('inference pool sizing', () => {
  it('leaves one core to the rest of the app and never runs more than two workers', () => {
    expect([1, 2, 3, 4, 16].map(defaultInferenceWorkers)).toEqual([1, 1, 2, 2, 2]);
  });

  it('sizes the pool of a backend from the cores it runs on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mammo-pool-'));
    const backend = MammoBackend.open(root, { shippedModelsDir: root });
    expect(backend.analysis.workers).toBe(defaultInferenceWorkers(cpus().length));
    await backend.close();
  });
});
