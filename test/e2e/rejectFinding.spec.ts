/**
 * Rejecting an AI finding takes its region out of the mask, and so out of the saved annotation
 * and the training sample's G channel (the label the next fine-tune learns from).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { expect, test as base } from './fixtures.js';
import { EditorPage, type EditorMask } from './pages/EditorPage.js';
import { LearningServer } from './support/LearningServer.js';

const test = base.extend<{ editor: EditorPage }, { learningServer: LearningServer }>({
  learningServer: [
    // Playwright reads fixture dependencies from an object pattern, even an empty one.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await LearningServer.start('tiny-reject-base', 2);
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 150_000 },
  ],
  editor: async ({ page }, use) => use(new EditorPage(page)),
});

function inside(mask: EditorMask): Uint8Array {
  const image = decode(Buffer.from(mask.maskPng, 'base64'));
  return Uint8Array.from({ length: mask.columns * mask.rows }, (_, i) =>
    image.data[i * image.channels]! > 0 ? 1 : 0,
  );
}

interface FindingBounds {
  index: number;
  centroidColumn: number;
  centroidRow: number;
}

test('reject: the finding region leaves the mask and the training sample G channel', async ({
  learningServer,
  worklist,
  editor,
  page,
  shot,
}) => {
  test.setTimeout(180_000); // the first analysis of a 1024x1024 image runs on two shared cores
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await page.getByTestId('edit-image').click();
  await expect(editor.root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  const findings = page.getByTestId('finding');
  await expect(findings.first()).toBeVisible(); // the raised tiny model outlines findings
  const before = await editor.mask();
  const start = inside(before);

  // The finding as the API reports it (the one source of findings).
  const response = await fetch(`${learningServer.origin}/api/analyzeImage`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${learningServer.token}` },
    body: JSON.stringify({ imageId: before.imageId }),
  });
  const prediction = (await response.json()) as { findings: FindingBounds[] };
  const first = prediction.findings[0]!;
  await expect(findings.first()).toHaveAttribute('data-index', String(first.index));

  await findings.first().getByRole('button', { name: 'Reject' }).click();
  await expect(findings.first()).toHaveAttribute('data-decision', 'rejected');
  const after = inside(await editor.mask());
  let removed = 0;
  let added = 0;
  let [top, left, bottom, right] = [Infinity, Infinity, -1, -1];
  for (let i = 0; i < start.length; i++) {
    if (after[i]! > start[i]!) added++; // rejecting only takes pixels away
    if (start[i] && !after[i]) {
      removed++;
      const row = Math.floor(i / before.columns);
      const column = i % before.columns;
      [top, left, bottom, right] = [
        Math.min(top, row),
        Math.min(left, column),
        Math.max(bottom, row),
        Math.max(right, column),
      ];
    }
  }
  expect(added).toBe(0);
  expect(removed).toBeGreaterThan(0);
  // The removed blob is the finding's: its centroid lies within the removed pixels' bounds.
  expect(first.centroidRow).toBeGreaterThanOrEqual(top);
  expect(first.centroidRow).toBeLessThanOrEqual(bottom);
  expect(first.centroidColumn).toBeGreaterThanOrEqual(left);
  expect(first.centroidColumn).toBeLessThanOrEqual(right);
  await shot('rejected');

  // One undo step brings the region and the decision back; redo takes them away again.
  await editor.viewport.hover();
  await editor.undo();
  await expect(findings.first()).toHaveAttribute('data-decision', '');
  await editor.expectPainted(before.painted);
  await editor.redo();
  await expect(findings.first()).toHaveAttribute('data-decision', 'rejected');
  await editor.expectPainted(before.painted - removed);

  await editor.setReader('Dr Reject');
  await editor.save();
  // The label the next fine-tune learns for this image: the newest correction's whole-scan sample.
  const sample = (await learningServer.trainingSamples())
    .filter((s) => s.imageId === before.imageId && s.labelSource === 'annotation' && s.kind === 'full')
    .at(-1);
  expect(sample).toBeDefined();
  const png = decode(readFileSync(join(learningServer.workspace, sample!.path)));
  expect([png.width, png.height]).toEqual([before.columns, before.rows]);
  let greenInRemoved = 0;
  let greenDiffers = 0;
  for (let i = 0; i < start.length; i++) {
    const green = png.data[i * png.channels + 1]! > 0 ? 1 : 0;
    if (start[i] && !after[i] && green) greenInRemoved++;
    if (green !== after[i]) greenDiffers++;
  }
  expect(greenInRemoved).toBe(0);
  expect(greenDiffers).toBe(0);
  await shot('saved');
});
