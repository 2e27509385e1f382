import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RequestRefusedError } from '../../main/api/errors.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { readModelCard } from '../../main/registry/modelFolder.js';
import { MAMMO_BIN, MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

/** Validation figures a card ships with: the reference when a workspace has no validation patients. */
const SHIPPED_VALIDATION = {
  split: 'validation (fixed patient-hash split)',
  imageAUC: 0.61,
  imageSensitivity: 0.5,
  imageSpecificity: 0.7,
  lesionSensitivityAt1FP: 0.42,
  pixelF1: 0.2,
  lesionIoU: 0.1,
  lesionDice: 0.2,
  images: 66,
};

describe('fine-tuning', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    // Its card ships validation metrics measured elsewhere, as a released model's does.
    await saveTinyModel(shipped, 'tiny-base', { validation: SHIPPED_VALIDATION });
  });

  it('a tiny fine-tune on real images lowers the training loss and registers a candidate with its card', async () => {
    const workspace = tempDir();
    const backend = MammoBackend.open(workspace, {
      shippedModelsDir: shipped,
      analysis: { backend: 'wasm' },
    });
    const imported = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    // Before it runs: what it learns from (the fixture's 6 images as imported ground truth, less
    // those the import left out of pixel training; no corrections) and what judges it (no
    // validation patients here: the parent's card).
    const usable = 6 - (imported.trainingSet?.excluded.length ?? 0);
    const plan = await backend.planFineTune({});
    expect(plan).toEqual({
      parentModel: 'tiny-base',
      // `mammo finetune`'s default (README), which the learning page offers.
      steps: 400,
      corrections: { images: 0, samples: 0 },
      groundTruth: { images: usable, samples: usable },
      replay: 0,
      superseded: 0,
      leftOut: null,
      judgedOn: {
        kind: 'parent-card',
        split: SHIPPED_VALIDATION.split,
        images: 66,
        imageAUC: 0.61,
        lesionSensitivityAt1FP: 0.42,
      },
      refusal: null,
    });
    const progress: number[] = [];
    const unsubscribe = backend.subscribe('mammo:finetune.progress', ({ progress: p }) =>
      progress.push(p.loss),
    );
    const queued = await backend.fineTunes.start({ steps: 24, size: 128, learningRate: 1e-3 });
    expect(queued.status).toBe('queued');
    const job = await backend.fineTunes.waitFor(queued.id);
    unsubscribe();

    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(progress).toHaveLength(24);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(progress.slice(-6))).toBeLessThan(mean(progress.slice(0, 6)));

    const candidate = backend.registry.get(job.candidateModel!)!;
    expect(candidate.origin).toBe('workspace');
    expect(candidate.card).toMatchObject({
      parentId: 'tiny-base',
      architecture: 'scuccimarra-3.9.4.01',
      widthMultiplier: 0.125,
    });
    expect(readModelCard(backend.registry.folderOf(candidate))).toEqual(candidate.card);
    // The fixture's patients all fall in the training split: judged against the parent's card,
    // which cannot show the unmeasured candidate is no worse, so no automatic promotion.
    expect(job.gate).toMatchObject({
      passed: false,
      promoted: false,
      reference: 'parent-card',
      current: { modelId: 'tiny-base', imageAUC: 0.61, lesionSensitivityAt1FP: 0.42, lesionDice: 0.2 },
    });
    expect(job.gate?.reason).toMatch(
      /^Not passed: this workspace has no validation patients, so ft-\S+ could not be measured; its parent tiny-base scores image AUC 0\.610, lesion sensitivity 0\.420 at 1 FP and Dice 0\.200 on the 66 images/,
    );
    expect(Number.isFinite(job.gate?.candidate.imageAUC)).toBe(false);
    // Its loss curve is kept with the job: one point per step, the same as the live progress.
    expect(job.lossHistory?.map((point) => point.loss)).toEqual(progress);
    expect(backend.registry.current()?.id).toBe('tiny-base');
    await expect(backend.listJobs({})).resolves.toEqual([
      expect.objectContaining({ id: job.id, status: 'succeeded' }),
    ]);
    await backend.close();
    // A page opened later (a new process) reads the same curve.
    const reopened = MammoBackend.open(workspace, { shippedModelsDir: shipped });
    const [stored] = await reopened.listJobs({});
    expect(stored?.lossHistory).toEqual(job.lossHistory);
    await reopened.close();
  });

  it('says clearly when there is nothing to learn from', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    await expect(backend.fineTunes.start()).rejects.toThrow(/^nothing to learn: no training samples/);
    // A refusal of the workspace's state (HTTP 409), said before anything is started.
    await expect(backend.fineTunes.start()).rejects.toThrow(RequestRefusedError);
    const plan = await backend.planFineTune({});
    expect(plan.refusal).toMatch(/^nothing to learn: no training samples; save a correction/);
    expect(plan).toMatchObject({
      corrections: { images: 0, samples: 0 },
      groundTruth: { images: 0, samples: 0 },
      judgedOn: { kind: 'parent-card', images: 66 },
    });
    expect(backend.fineTunes.list()).toEqual([]);
    await backend.close();
  });

  it('a killed trainer resumes from its checkpoint and finishes the same run', async () => {
    // Each run's fixed cost is reading its samples (the breast region of each full-size scan: 1.5 s
    // a scan on a quiet core) and starting a tfjs process, so this trains on one patient of the
    // fixture (mdb001 and mdb002), in one thread, for 8 small steps: about a third of the work
    // of 5 scans, two threads and 16 steps, which took 52 s with the load near 6.
    const data = tempDir();
    mkdirSync(join(data, 'images'));
    for (const image of ['mdb001.png', 'mdb002.png'])
      copyFileSync(join(MIAS_FIXTURE, 'images', image), join(data, 'images', image));
    copyFileSync(join(MIAS_FIXTURE, 'annotations.csv'), join(data, 'annotations.csv'));
    const workspace = tempDir();
    const out = join(tempDir(), 'resumed-model');
    const args = [
      MAMMO_BIN,
      '--workspace',
      workspace,
      'train',
      '--data',
      data,
      '--out',
      out,
      '--steps',
      '8',
      '--size',
      '64',
      '--width',
      '0.125',
      '--checkpoint-every',
      '4',
      '--threads',
      '1',
    ];
    const env = { ...process.env, MAMMO_TF_BACKEND: 'wasm' };
    // Whole lines only (up to " lr"): stderr arrives in chunks that may end inside a number.
    const lossesOf = (log: string): Map<number, string> =>
      new Map([...log.matchAll(/^step (\d+)\/8 size 64 loss (\S+) lr /gm)].map((m) => [Number(m[1]), m[2]!]));

    // Killed after step 6, two steps past its checkpoint at 4: those two steps' losses are what
    // the resumed run must compute again, from the checkpoint's weights, optimizer state and data.
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let killedLog = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        killedLog += chunk;
        if (lossesOf(killedLog).has(6)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`training ended before it could be killed:\n${killedLog}`)));
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const state = join(workspace, 'checkpoints', 'resumed-model', 'latest', 'state.json');
    expect((JSON.parse(readFileSync(state, 'utf8')) as { step: number }).step).toBe(4);
    expect(existsSync(out)).toBe(false);

    const resumed = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    const losses = lossesOf(resumed.stderr);
    expect([...losses.keys()]).toEqual([5, 6, 7, 8]);
    // The same run: a resume from the wrong weights, optimizer moments or batches would differ here.
    expect([losses.get(5), losses.get(6)]).toEqual([lossesOf(killedLog).get(5), lossesOf(killedLog).get(6)]);
    expect(readModelCard(out).id).toBe('resumed-model');
  });
});
