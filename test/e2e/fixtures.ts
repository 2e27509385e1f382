/** Playwright fixtures: one server per worker (a fresh workspace), page objects per test. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { AiPage } from './pages/AiPage.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { ViewerPage } from './pages/ViewerPage.js';
import { writeSyntheticMammogram } from './support/syntheticDicom.js';
import { REPO_ROOT, WorkstationServer } from './support/WorkstationServer.js';

/** The model an AI server runs: untrained and tiny (its maps mean nothing, but vary). */
export const TINY_MODEL_ID = 'tiny-e2e';

export interface InputFiles {
  /** A synthetic RCC (MONOCHROME1, stored mirrored) + LCC study, patient SYN-001. */
  dicomFolder: string;
  /** A text file: not DICOM. */
  textFile: string;
  missingPath: string;
}

export const test = base.extend<
  { worklist: WorklistPage; viewer: ViewerPage; ai: AiPage; shot: (name: string) => Promise<void> },
  { server: WorkstationServer; aiServer: WorkstationServer; inputs: InputFiles }
>({
  server: [
    // Playwright reads fixture dependencies from an object pattern, even an empty one.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await WorkstationServer.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  aiServer: [
    // A server with a tiny model (MAMMO_MODELS_DIR) and the mini-MIAS fixtures already imported.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-models-'));
      const { saveTinyModel } = await import('../helpers/tinyModel.js'); // TensorFlow.js: only when needed
      // Raised, so that the (untrained) model's own findings exist at its 0.2 card threshold.
      await saveTinyModel(modelsDir, TINY_MODEL_ID, { logitBias: 2 });
      const server = await WorkstationServer.start({ modelsDir });
      await server.api('importFiles', { paths: [join(REPO_ROOT, 'test/fixtures/mias')], format: 'mias' });
      await use(server);
      await server.stop();
      rmSync(modelsDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  inputs: [
    // Playwright reads fixture dependencies from an object pattern, even an empty one.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'mammo-e2e-inputs-'));
      const dicomFolder = join(dir, 'dicom');
      mkdirSync(dicomFolder);
      writeSyntheticMammogram(dicomFolder, {
        laterality: 'R',
        view: 'CC',
        tissueAt: 'left',
        photometric: 'MONOCHROME1',
        instance: 1,
      });
      writeSyntheticMammogram(dicomFolder, {
        laterality: 'L',
        view: 'CC',
        tissueAt: 'left',
        photometric: 'MONOCHROME2',
        instance: 2,
      });
      const textFile = join(dir, 'notes.txt');
      writeFileSync(textFile, 'not a mammogram\n');
      await use({ dicomFolder, textFile, missingPath: join(dir, 'does-not-exist') });
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  worklist: async ({ page }, use) => use(new WorklistPage(page)),
  viewer: async ({ page }, use) => use(new ViewerPage(page)),
  ai: async ({ page, viewer }, use) => use(new AiPage(page, viewer)),
  shot: async ({ page }, use, testInfo) => {
    let step = 0;
    await use(async (name) => {
      step++;
      await page.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, '0')}-${name}.png`) });
    });
  },
});

export { expect } from '@playwright/test';
