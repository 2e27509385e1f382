/**
 * Before a fine-tune runs, the learning page says what it would learn from and what would judge
 * it, and refuses plainly when it cannot run (here: no model installed), instead of starting a job
 * that "succeeds" with no metrics.
 */
import type { ImportResult } from '../../main/api/importing.js';
import { expect, test } from './fixtures.js';
import { REPO_ROOT } from './support/WorkstationServer.js';

test('the learning page states the fine-tune plan and refuses without a model', async ({
  server,
  worklist,
  shot,
}) => {
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
});
