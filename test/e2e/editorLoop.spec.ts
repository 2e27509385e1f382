/**
 * From the editor to the stored training sample: a missed finding outlined with Add finding is
 * painted into the mask and so into the saved sample's G channel (the reader's outline is the
 * label), and the editor opens where the reader was looking (zoom, centre, invert).
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
      const server = await LearningServer.start('tiny-loop-base');
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 150_000 },
  ],
  editor: async ({ page }, use) => use(new EditorPage(page)),
});

test('the editor opens at the viewer’s zoom, centre and invert', async ({
  learningServer,
  worklist,
  viewer,
  editor,
  shot,
}) => {
  test.setTimeout(180_000);
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await viewer.expectRendered('RMLO');
  await viewer.viewport('RMLO').click();
  await viewer.press('+');
  await viewer.press('+');
  await viewer.press('i');
  await expect.poll(async () => (await viewer.state('RMLO')).invert).toBe(true);
  const seen = await viewer.state('RMLO');
  expect(seen.zoom).toBeGreaterThan(1.5);
  expect(seen.centre).not.toBeNull();
  await editor.openFromViewer();
  await expect(editor.root).toHaveAttribute('data-invert', 'true');
  expect(Number(await editor.attribute('data-zoom'))).toBeCloseTo(seen.zoom, 2);
  const centre = (await editor.attribute('data-view-centre')).split(',').map(Number);
  expect(centre[0]).toBeCloseTo(seen.centre![0], 0);
  expect(centre[1]).toBeCloseTo(seen.centre![1], 0);
  await shot('editor-keeps-view');
});

test('an outlined missed finding becomes mask pixels and the saved sample’s label', async ({
  learningServer,
  worklist,
  editor,
  page,
  shot,
}) => {
  test.setTimeout(180_000);
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await editor.clearMask();
  const before = editorMaskBits(await editor.mask());
  expect(before.every((v) => v === 0)).toBe(true);

  // Drag an outline (a square, 20% of the view across) around the missed finding.
  await page.getByLabel('Missed finding type').selectOption('mass');
  await page.getByRole('button', { name: 'Add finding…' }).click();
  const box = (await editor.viewport.boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  const corners = [at(0.4, 0.4), at(0.6, 0.4), at(0.6, 0.6), at(0.4, 0.6), at(0.4, 0.4)];
  await page.mouse.move(...corners[0]!);
  await page.mouse.down();
  for (const corner of corners.slice(1)) await page.mouse.move(...corner, { steps: 8 });
  await page.mouse.up();
  const added = page.getByTestId('added-finding');
  await expect(added).toHaveCount(1);
  await expect(added).toHaveAttribute('data-in-mask', 'true');
  const outlined = editorMaskBits(await editor.mask());
  const painted = outlined.reduce((n, v) => n + v, 0);
  // The outline's pixels, and one undo step takes finding and pixels away together.
  expect(painted).toBeGreaterThan(1000);
  await shot('outlined-finding');
  await editor.viewport.hover();
  await editor.undo();
  await expect(added).toHaveCount(0);
  await editor.expectPainted(0);
  await editor.redo();
  await expect(added).toHaveCount(1);
  await editor.expectPainted(painted);

  const imageId = (await editor.mask()).imageId;
  await editor.setReader('Dr Outline');
  await editor.save();
  // The fine-tune's choice: this correction's sample is what it would learn for this image.
  const forImage = (await learningServer.trainingSamples({ unlearnedOnly: true })).filter(
    (s) => s.imageId === imageId,
  );
  expect(forImage.map((s) => s.labelSource)).toEqual(['annotation']);
  const sample = forImage[0];
  const png = decode(readFileSync(join(learningServer.workspace, sample!.path)));
  let differs = 0;
  let green = 0;
  for (let i = 0; i < outlined.length; i++) {
    const g = png.data[i * png.channels + 1]! > 0 ? 1 : 0;
    green += g;
    if (g !== outlined[i]) differs++;
  }
  expect(green).toBe(painted);
  expect(differs).toBe(0);
});

test('removing an outlined finding (✕) takes its pixels out of the saved mask and the sample, undoably', async ({
  learningServer,
  worklist,
  editor,
  page,
  shot,
}) => {
  test.setTimeout(180_000);
  // Another patient than the tests above save, so the editor starts from the AI's mask.
  await worklist.goto(learningServer);
  await worklist.open('MIAS-003');
  await editor.openFromViewer();
  const box = (await editor.viewport.boundingBox())!;
  const outline = async (from: number, to: number): Promise<void> => {
    const at = (fx: number, fy: number): [number, number] => [
      box.x + fx * box.width,
      box.y + fy * box.height,
    ];
    const corners = [at(from, from), at(to, from), at(to, to), at(from, to), at(from, from)];
    await page.getByRole('button', { name: 'Add finding…' }).click();
    await page.mouse.move(...corners[0]!);
    await page.mouse.down();
    for (const corner of corners.slice(1)) await page.mouse.move(...corner, { steps: 8 });
    await page.mouse.up();
  };
  const added = page.getByTestId('added-finding');
  await page.getByLabel('Missed finding type').selectOption('mass');
  // B, then A overlapping B's top-left corner: removing A must leave B's outline whole.
  await outline(0.45, 0.65);
  await expect(added).toHaveCount(1);
  const withB = editorMaskBits(await editor.mask());
  await outline(0.3, 0.5);
  await expect(added).toHaveCount(2);
  const withBoth = editorMaskBits(await editor.mask());
  const paintedByA = withBoth.map((v, i) => (v && !withB[i] ? 1 : 0));
  expect(countOn(paintedByA)).toBeGreaterThan(1000);

  await editor.removeFindingUndoRedo(page.getByRole('button', { name: 'Remove mass' }).nth(1), {
    findingsBefore: 2,
    paintedBefore: countOn(withBoth),
    paintedAfter: countOn(withB),
  });
  await shot('removed-finding');

  const imageId = (await editor.mask()).imageId;
  await editor.setReader('Dr Remove');
  await editor.save();
  // The back end's file: exactly the mask before A was outlined (B's outline and the AI's mask).
  const { annotation: saved, bits: file } = await learningServer.newestSavedMask(imageId);
  let differs = 0;
  let leftOfA = 0;
  for (let i = 0; i < withB.length; i++) {
    const v = file[i]!;
    if (v !== withB[i]) differs++;
    if (v && paintedByA[i]) leftOfA++;
  }
  expect(leftOfA).toBe(0);
  expect(differs).toBe(0);
  expect(saved.findings.added).toHaveLength(1);
  // B's outline is saved with it, so a later session's ✕ knows B's pixels too.
  expect(saved.findings.added[0]!.outline?.length).toBeGreaterThanOrEqual(4);
  // And the training sample built from it learns no lesion where A was.
  const [sample] = (await learningServer.trainingSamples({ unlearnedOnly: true })).filter(
    (s) => s.imageId === imageId,
  );
  const png = decode(readFileSync(join(learningServer.workspace, sample!.path)));
  let green = 0;
  for (let i = 0; i < paintedByA.length; i++)
    if (paintedByA[i] && png.data[i * png.channels + 1]! > 0) green++;
  expect(green).toBe(0);
});
