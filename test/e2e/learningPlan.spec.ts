/**
 * Before a fine-tune runs, the learning page says what it would learn from and what would judge
 * it, and refuses plainly when it cannot run (here: no model installed), instead of starting a job
 * that "succeeds" with no metrics. A candidate the reader does not want can be discarded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportResult } from '../../main/api/importing.js';
import type { FineTuneJob } from '../../main/api/training.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { FINE_TUNE_DEFAULTS } from '../../main/training/FineTuneService.js';
import { generatedMiasFolder, patientsIn } from '../helpers/generatedMias.js';
import { expect, test } from './fixtures.js';
import { REPO_ROOT, WorkstationServer } from './support/WorkstationServer.js';

test('the learning page states the fine-tune plan and refuses without a model', async ({
  worklist,
  shot,
}) => {
  // Its own server: the import below must not reach the shared worker server other specs use.
  const server = await WorkstationServer.start();
  try {
    const imported = (await server.api('importFiles', {
      paths: [`${REPO_ROOT}test/fixtures/mias`],
      format: 'mias',
    })) as ImportResult;
    // The fixture's six images, less those left out of pixel training (no lesion centre).
    const usable = 6 - (imported.trainingSet?.excluded.length ?? 0);
    await worklist.goto(server);
    await worklist.page.goto(`${server.origin}/#/learning`);
    const panel = worklist.page.getByTestId('learning-panel');
    await expect(panel).toHaveAttribute('data-loaded', 'true');
    const plan = worklist.page.getByTestId('finetune-plan');
    await expect(plan.getByTestId('finetune-refusal')).toHaveText(
      'Nothing to fine-tune: no current model to fine-tune (see mammo models list)',
    );
    await expect(worklist.page.getByRole('button', { name: 'Fine-tune', exact: true })).toBeDisabled();
    await expect(plan.getByTestId('finetune-learns')).toHaveText(
      `Learns from 0 corrected images (0 samples) and ${usable} imported ground-truth images (${usable} samples), replaying up to 0 learned samples.`,
    );
    await expect(plan).toHaveAttribute('data-judged-on', 'nothing');
    await shot('fine-tune-plan-refused');
  } finally {
    await server.stop();
  }
});

test('a candidate trained here can be discarded after a confirmation', async ({ worklist }) => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-discard-models-'));
  const { saveTinyModel } = await import('../helpers/tinyModel.js'); // TensorFlow.js: only when needed
  await saveTinyModel(modelsDir, 'tiny-parent');
  const server = await WorkstationServer.start({ modelsDir });
  try {
    // A candidate as a fine-tune leaves one: its folder in the workspace and its record.
    const backend = MammoBackend.open(server.workspace, { shippedModelsDir: modelsDir });
    const card = await saveTinyModel(backend.registry.workspaceModelsDir, 'ft-unwanted', { seed: 3 });
    backend.registry.addCandidate({ ...card, parentId: 'tiny-parent' });
    const folder = backend.registry.folderOf({ id: 'ft-unwanted', origin: 'workspace' });
    await backend.close();

    await worklist.goto(server);
    await worklist.page.goto(`${server.origin}/#/learning`);
    const row = worklist.page.locator('[data-testid="model-version"][data-model-id="ft-unwanted"]');
    await expect(row).toHaveAttribute('data-status', 'candidate');
    // Dismissing the question keeps it.
    worklist.page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: 'Discard ft-unwanted' }).click();
    await expect(row).toHaveCount(1);
    worklist.page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain('Discard ft-unwanted?');
      void dialog.accept();
    });
    await row.getByRole('button', { name: 'Discard ft-unwanted' }).click();
    await expect(row).toHaveCount(0);
    expect(existsSync(folder)).toBe(false);
    // The current model offers no Discard.
    const current = worklist.page.locator('[data-testid="model-version"][data-model-id="tiny-parent"]');
    await expect(current.getByRole('button', { name: /^Discard/ })).toHaveCount(0);
  } finally {
    await server.stop();
    rmSync(modelsDir, { recursive: true, force: true });
  }
});

test('actions the server would refuse are disabled with the reason: Roll back with nothing to return to, Discard of a parent', async ({
  worklist,
  shot,
}) => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-refused-actions-'));
  const { saveTinyModel } = await import('../helpers/tinyModel.js'); // TensorFlow.js: only when needed
  await saveTinyModel(modelsDir, 'tiny-parent');
  const server = await WorkstationServer.start({ modelsDir });
  try {
    // ft-a was promoted and rolled back; ft-c was fine-tuned from ft-b.
    const backend = MammoBackend.open(server.workspace, { shippedModelsDir: modelsDir });
    for (const [id, parentId] of [
      ['ft-a', 'tiny-parent'],
      ['ft-b', 'tiny-parent'],
      ['ft-c', 'ft-b'],
    ] as const) {
      const card = await saveTinyModel(backend.registry.workspaceModelsDir, id, { seed: 3 });
      backend.registry.addCandidate({ ...card, parentId });
    }
    backend.registry.promote('ft-a');
    backend.registry.rollback();
    await backend.close();

    await worklist.goto(server);
    await worklist.page.goto(`${server.origin}/#/learning`);
    const page = worklist.page;
    await expect(page.getByTestId('learning-panel')).toHaveAttribute('data-loaded', 'true');
    const rollback = page.getByRole('button', { name: /^Roll back/ });
    await expect(rollback).toBeDisabled();
    await expect(page.getByTestId('rollback-reason')).toHaveText(
      'Nothing to roll back to: tiny-parent was not promoted over an earlier model.',
    );
    const row = (id: string) => page.locator(`[data-testid="model-version"][data-model-id="${id}"]`);
    await expect(row('ft-b').getByRole('button', { name: 'Discard ft-b' })).toBeDisabled();
    await expect(row('ft-b').getByTestId('discard-reason')).toHaveText(
      'Ft-b is the parent of ft-c and stays in its lineage.',
    );
    await shot('refused-actions-disabled');
    // The rolled-back candidate is offered and goes without a refusal.
    page.once('dialog', (dialog) => void dialog.accept());
    await row('ft-a').getByRole('button', { name: 'Discard ft-a' }).click();
    await expect(row('ft-a')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    // With a promotion to undo, Roll back is offered and says where it goes.
    // ft-c has no validation metrics: the question asks for its id.
    page.once('dialog', (dialog) => void dialog.accept('ft-c'));
    await row('ft-c').getByRole('button', { name: 'Promote ft-c' }).click();
    await expect(page.getByRole('button', { name: 'Roll back to tiny-parent' })).toBeEnabled();
    await expect(page.getByTestId('rollback-reason')).toHaveCount(0);
  } finally {
    await server.stop();
    rmSync(modelsDir, { recursive: true, force: true });
  }
});

test('the page says in plain words which images a fine-tune leaves out, and runs the back end’s default steps', async ({
  worklist,
  shot,
}) => {
  test.setTimeout(240_000);
  const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-left-out-models-'));
  const data = mkdtempSync(join(tmpdir(), 'mammo-e2e-left-out-mias-'));
  const { saveTinyModel } = await import('../helpers/tinyModel.js'); // TensorFlow.js: only when needed
  // Its card names no `detects`: masses only.
  await saveTinyModel(modelsDir, 'tiny-masses');
  const [a, b] = patientsIn('train', 2) as [number, number];
  const [c, d] = patientsIn('validation', 2) as [number, number];
  // The case list is the truth: 2 calcifications, a distortion and an asymmetry (3 training images,
  // 1 validation) mark lesions the model does not detect.
  generatedMiasFolder(data, [
    { n: 2 * a - 1, abnormalityClass: 'CIRC' },
    { n: 2 * a, abnormalityClass: 'CALC' },
    { n: 2 * b - 1, abnormalityClass: 'CALC' },
    { n: 2 * b, abnormalityClass: 'ARCH' },
    { n: 2 * c - 1, abnormalityClass: 'SPIC' },
    { n: 2 * c, abnormalityClass: 'ASYM' },
    { n: 2 * d - 1, abnormalityClass: 'NORM' },
  ]);
  const server = await WorkstationServer.start({ modelsDir });
  try {
    await server.api('importFiles', { paths: [data], format: 'mias' });
    await worklist.goto(server);
    const page = worklist.page;
    await page.goto(`${server.origin}/#/learning`);
    await expect(page.getByTestId('learning-panel')).toHaveAttribute('data-loaded', 'true');
    const leftOut =
      '4 images left out: 2 calcifications, 1 architectural distortion and 1 asymmetry — this model detects masses only. ' +
      'They are neither learned nor judged on (3 training, 1 validation), and not taken as normal images: the lesion is there.';
    await expect(page.getByTestId('finetune-plan').getByTestId('finetune-left-out')).toHaveText(leftOut);
    await shot('fine-tune-plan-left-out');

    // The field shows what `mammo finetune` runs without --steps, and Fine-tune asks for no other number.
    await expect(page.getByLabel('Fine-tune steps')).toHaveValue(String(FINE_TUNE_DEFAULTS.steps));
    await page.getByRole('button', { name: 'Fine-tune', exact: true }).click();
    await expect.poll(async () => ((await server.api('listJobs', {})) as FineTuneJob[]).length).toBe(1);
    const [byPage] = (await server.api('listJobs', {})) as FineTuneJob[];
    expect(byPage!.steps).toBe(FINE_TUNE_DEFAULTS.steps);
    await server.api('cancelJob', { jobId: byPage!.id });
    await expect(page.getByTestId('learning-panel')).not.toHaveAttribute('data-job-state', /queued|running/);

    // A short fine-tune's verdict says the same.
    await server.api('startFineTune', { steps: 2, size: 64 });
    await expect(page.getByTestId('learning-panel')).toHaveAttribute('data-job-state', 'succeeded', {
      timeout: 180_000,
    });
    await expect(page.getByTestId('gate-left-out')).toHaveText(leftOut);
  } finally {
    await server.stop();
    rmSync(modelsDir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});
