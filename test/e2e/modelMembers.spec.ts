/**
 * A model made of members at two scales: the learning page's current-model card lists each member
 * (what it finds, the spacing it reads) and the fine-tune plan refuses it in one line; in the
 * reading view the AI panel lists the members and each finding says which kind of member found it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StudyAnalysis } from '../../main/api/predictions.js';
import type { ImportResult } from '../../main/api/importing.js';
import { expect, test } from './fixtures.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { WorkstationServer } from './support/WorkstationServer.js';

test('the learning page and the AI panel show the members of a two-scale model', async ({
  worklist,
  viewer,
  ai,
  page,
  shot,
}) => {
  // Its own server, an import and a two-member analysis: more than the default on a loaded machine.
  test.setTimeout(180_000);
  const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-members-models-'));
  const { saveTinyMultiMemberModel, tinyNetwork } = await import('../helpers/tinyModel.js'); // TensorFlow.js: only when needed
  // Raised, so that the (untrained) members' findings exist at the card's 0.2 threshold.
  const mass = tinyNetwork({ seed: 1, logitBias: 2 });
  const calcification = tinyNetwork({ seed: 2, logitBias: 2 });
  // Its card's validation records results by breast density, as mammo evaluate writes them.
  const byDensity = (imageAUC: number) => ({ images: 10, abnormalImages: 4, lesions: 4, imageAUC });
  await saveTinyMultiMemberModel(
    modelsDir,
    'two-scale',
    [
      { name: 'mass-net', role: 'mass', network: mass, inputPixelSpacingMm: 0.6 },
      { name: 'calc-net', role: 'calcification', network: calcification, inputPixelSpacingMm: 0.2 },
    ],
    {
      split: 'validation',
      imageAUC: 0.6,
      imageSensitivity: 0.5,
      imageSpecificity: 0.5,
      lesionSensitivityAt1FP: 0.4,
      pixelF1: 0.2,
      lesionIoU: 0.1,
      lesionDice: 0.2,
      images: 30,
      byBreastDensity: { fatty: byDensity(0.9), 'dense-glandular': byDensity(0.3) },
    },
  );
  mass.dispose();
  calcification.dispose();
  const server = await WorkstationServer.start({ modelsDir });
  try {
    await worklist.goto(server);
    await page.goto(`${server.origin}/#/learning`);
    await expect(page.getByTestId('learning-panel')).toHaveAttribute('data-loaded', 'true');
    const current = page.getByTestId('current-model');
    await expect(current).toHaveAttribute('data-model-id', 'two-scale');
    const members = current.getByTestId('model-member');
    await expect(members).toHaveCount(2);
    await expect(members.nth(0)).toHaveAttribute('data-role', 'mass');
    await expect(members.nth(0)).toContainText('0.6 mm');
    await expect(members.nth(1)).toHaveAttribute('data-role', 'calcification');
    await expect(members.nth(1)).toContainText('0.2 mm');
    await expect(current.getByTestId('model-members')).toContainText('combined by per-pixel maximum');
    await expect(page.getByTestId('finetune-refusal')).toContainText(
      'fine-tuning a multi-member model is not supported yet',
    );
    await shot('two-scale-members');

    // One patient (MIAS-001: mdb001 and mdb002) of the mini-MIAS fixture, to keep the import short.
    const mias = join(modelsDir, 'mias');
    mkdirSync(join(mias, 'images'), { recursive: true });
    for (const name of ['mdb001.png', 'mdb002.png'])
      copyFileSync(join(MIAS_FIXTURE, 'images', name), join(mias, 'images', name));
    const caseList = readFileSync(join(MIAS_FIXTURE, 'annotations.csv'), 'utf8').split('\n');
    writeFileSync(
      join(mias, 'annotations.csv'),
      `${caseList.filter((line, i) => i === 0 || /^mdb00[12],/.test(line)).join('\n')}\n`,
    );
    const { studies } = (await server.api('importFiles', { paths: [mias], format: 'mias' })) as ImportResult;
    // Analysed through the API first (the viewer then shows the cached result): its findings name
    // their members, and the panel must say the same.
    const analysis = (await server.api('analyzeStudy', {
      studyId: studies.find((s) => s.patientId === 'MIAS-001')!.id,
    })) as StudyAnalysis;
    await worklist.goto(server);
    await worklist.open('MIAS-001');
    await expect(ai.status).toHaveAttribute('data-ai-study-state', 'ready');
    await expect(ai.panel.getByTestId('model-member')).toHaveCount(2);
    // How well it reads each breast density, and a warning where it reads below AUC 0.6.
    const density = ai.panel.getByTestId('ai-density');
    await expect(density).toContainText('fatty 0.900 · dense-glandular 0.300');
    await expect(density).toContainText('Weak in dense-glandular breasts');
    const threshold = Number(await ai.threshold.inputValue());
    const expected = analysis.predictions
      .flatMap((p) => p.findings)
      .filter((f) => f.maxProbability >= threshold)
      .map((f) => f.source?.role);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((role) => role === 'mass' || role === 'calcification')).toBe(true);
    await expect(ai.findings).toHaveCount(expected.length);
    const roles = ai.panel.getByTestId('ai-finding-role');
    await expect(roles).toHaveCount(expected.length);
    const shown = await roles.allTextContents();
    expect(shown.sort()).toEqual([...expected].sort());
    await viewer.expectRendered('RMLO');
    await shot('two-scale-findings');
  } finally {
    await server.stop();
    rmSync(modelsDir, { recursive: true, force: true });
  }
});
