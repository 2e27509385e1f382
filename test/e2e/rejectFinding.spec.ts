/**
 * Rejecting an AI finding takes its region out of the mask, and so out of the saved annotation
 * and the training sample's G channel (the label the next fine-tune learns from); removing an added
 * finding (✕) gives back the mask the reader had before it, AI pixels the reader erased included,
 * while pixels a later stroke painted again stay (that stroke claimed them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { expect, test as base } from './fixtures.js';
import { EditorPage } from './pages/EditorPage.js';
import { LearningServer } from './support/LearningServer.js';
import { countOn, editorMaskBits } from './support/maskBits.js';

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
  const start = editorMaskBits(before);

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
  const after = editorMaskBits(await editor.mask());
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

test('✕ on a finding outlined over AI pixels the reader erased leaves them erased in the saved mask, and keeps a later stroke', async ({
  learningServer,
  worklist,
  editor,
  page,
  shot,
}) => {
  test.setTimeout(180_000);
  // Another patient than the test above saves, so the editor starts from the AI's mask.
  await worklist.goto(learningServer);
  await worklist.open('MIAS-003');
  await page.getByTestId('edit-image').click();
  await expect(editor.root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  // The first AI finding's box, as the editor draws it over the image: the AI's mask is there.
  const mark = page.locator('.finding-marks .finding-box rect').first();
  await expect(mark).toBeVisible();
  const found = (await mark.boundingBox())!;
  const viewport = (await editor.viewport.boundingBox())!;
  // The middle of the part of the box on screen (the raised model's finding may be the whole breast).
  const [x, y] = [
    (Math.max(found.x, viewport.x) + Math.min(found.x + found.width, viewport.x + viewport.width)) / 2,
    (Math.max(found.y, viewport.y) + Math.min(found.y + found.height, viewport.y + viewport.height)) / 2,
  ];
  const start = editorMaskBits(await editor.mask());

  // The reader erases a band there: the AI's pixels in it are not a lesion.
  await editor.chooseTool('Eraser');
  await editor.setBrushMm(2);
  const fraction = (px: number, py: number): [number, number] => [
    (px - viewport.x) / viewport.width,
    (py - viewport.y) / viewport.height,
  ];
  await editor.stroke(fraction(x - 60, y), fraction(x + 60, y));
  const erased = editorMaskBits(await editor.mask());
  const erasedByReader = start.map((v, i) => (v && !erased[i] ? 1 : 0));
  expect(countOn(erasedByReader)).toBeGreaterThan(20);

  // Then outlines a missed finding over the band, and removes it again.
  await page.getByLabel('Missed finding type').selectOption('mass');
  await page.getByRole('button', { name: 'Add finding…' }).click();
  const corners: [number, number][] = [
    [x - 90, y - 90],
    [x + 90, y - 90],
    [x + 90, y + 90],
    [x - 90, y + 90],
    [x - 90, y - 90],
  ];
  await page.mouse.move(...corners[0]!);
  await page.mouse.down();
  for (const corner of corners.slice(1)) await page.mouse.move(...corner, { steps: 8 });
  await page.mouse.up();
  const added = page.getByTestId('added-finding');
  await expect(added).toHaveCount(1);
  const outlined = editorMaskBits(await editor.mask());
  // The outline painted over every pixel the reader had erased.
  expect(erasedByReader.every((v, i) => !v || outlined[i])).toBe(true);
  const paintedByAdd = outlined.map((v, i) => (v && !erased[i] ? 1 : 0));

  // After the add, the reader erases the band again (the add's pixels now) and paints its middle
  // again: those pixels are that stroke's, which ✕ keeps; the rest of the band stays erased.
  await editor.chooseTool('Eraser');
  await editor.stroke(fraction(x - 60, y), fraction(x + 60, y));
  const erasedAfter = editorMaskBits(await editor.mask());
  await editor.chooseTool('Brush');
  await editor.setBrushMm(2);
  await editor.stroke(fraction(x - 20, y), fraction(x + 20, y));
  const repainted = editorMaskBits(await editor.mask());
  const turnedOnByBrush = repainted.map((v, i) => (v && !erasedAfter[i] ? 1 : 0));
  expect(countOn(turnedOnByBrush.map((v, i) => v & paintedByAdd[i]!))).toBeGreaterThan(20);
  expect(countOn(erasedByReader.map((v, i) => (v && !turnedOnByBrush[i] ? 1 : 0)))).toBeGreaterThan(20);
  // What ✕ must leave: every pixel as it is now, but those the add turned on and no later stroke did.
  const expected = repainted.map((v, i) => (v && (!paintedByAdd[i] || turnedOnByBrush[i]) ? 1 : 0));

  await editor.removeFindingUndoRedo(page.getByRole('button', { name: 'Remove mass' }), {
    findingsBefore: 1,
    paintedBefore: countOn(repainted),
    paintedAfter: countOn(expected),
  });
  await shot('removed-over-erased');

  const imageId = (await editor.mask()).imageId;
  await editor.setReader('Dr Erase');
  await editor.save();
  // The back end's file: the erased AI pixels stay off, the later stroke's pixels stay on.
  const { annotation: saved, bits: file } = await learningServer.newestSavedMask(imageId);
  let differs = 0;
  let erasedBack = 0;
  for (let i = 0; i < expected.length; i++) {
    const v = file[i]!;
    if (v !== expected[i]) differs++;
    if (v && erasedByReader[i] && !turnedOnByBrush[i]) erasedBack++;
  }
  expect(erasedBack).toBe(0);
  expect(differs).toBe(0);
  expect(saved.findings.added).toHaveLength(0);
});
