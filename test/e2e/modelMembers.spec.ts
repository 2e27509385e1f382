/**
 * A model made of members at two scales: the learning page's current-model card lists each member
 * (what it finds, the spacing it reads), and the fine-tune plan refuses it in one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { WorkstationServer } from './support/WorkstationServer.js';

test('the learning page lists the members of a two-scale model', async ({ worklist, shot }) => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-members-models-'));
  const { saveTinyMultiMemberModel, tinyNetwork } = await import('../helpers/tinyModel.js'); // TensorFlow.js: only when needed
  const mass = tinyNetwork({ seed: 1 });
  const calcification = tinyNetwork({ seed: 2 });
  await saveTinyMultiMemberModel(modelsDir, 'two-scale', [
    { name: 'mass-net', role: 'mass', network: mass, inputPixelSpacingMm: 0.6 },
    { name: 'calc-net', role: 'calcification', network: calcification, inputPixelSpacingMm: 0.2 },
  ]);
  mass.dispose();
  calcification.dispose();
  const server = await WorkstationServer.start({ modelsDir });
  try {
    await worklist.goto(server);
    await worklist.page.goto(`${server.origin}/#/learning`);
    await expect(worklist.page.getByTestId('learning-panel')).toHaveAttribute('data-loaded', 'true');
    const current = worklist.page.getByTestId('current-model');
    await expect(current).toHaveAttribute('data-model-id', 'two-scale');
    const members = current.getByTestId('model-member');
    await expect(members).toHaveCount(2);
    await expect(members.nth(0)).toHaveAttribute('data-role', 'mass');
    await expect(members.nth(0)).toContainText('0.6 mm');
    await expect(members.nth(1)).toHaveAttribute('data-role', 'calcification');
    await expect(members.nth(1)).toContainText('0.2 mm');
    await expect(current.getByTestId('model-members')).toContainText('combined by per-pixel maximum');
    await expect(worklist.page.getByTestId('finetune-refusal')).toContainText(
      'fine-tuning a multi-member model is not supported yet',
    );
    await shot('two-scale-members');
  } finally {
    await server.stop();
    rmSync(modelsDir, { recursive: true, force: true });
  }
});
