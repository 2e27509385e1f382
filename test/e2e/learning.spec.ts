/**
 * The feedback loop in browser mode (issue 6): correct the AI mask with the mouse, save it into
 * the training set, undo/redo, fine-tune a tiny model from the workstation, promote it and
 * re-analyse, and get a draft back after the server is killed mid-edit. The tests share one
 * server and workspace (a tiny untrained model, the mini-MIAS fixtures) and run in order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decode } from 'fast-png';
import { expect, test as base } from './fixtures.js';
import { EditorPage } from './pages/EditorPage.js';
import { LearningPage } from './pages/LearningPage.js';
import { LearningServer } from './support/LearningServer.js';
import { editorMaskBits, maskFileBits } from './support/maskBits.js';
import { REPO_ROOT } from './support/WorkstationServer.js';

const MODEL_ID = 'tiny-learning-base';
const READER = 'Dr E2E';
const MIAS_IMAGES = join(REPO_ROOT, 'test/fixtures/mias/images');

const test = base.extend<{ editor: EditorPage; learning: LearningPage }, { learningServer: LearningServer }>({
  learningServer: [
    // Playwright reads fixture dependencies from an object pattern, even an empty one.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await LearningServer.start(MODEL_ID);
      await use(server);
      await server.stop();
    },
    // Preparing the workspace (a tiny model, mini-MIAS, its samples) takes over a minute on a busy machine.
    { scope: 'worker', timeout: 180_000 },
  ],
  editor: async ({ page }, use) => use(new EditorPage(page)),
  learning: async ({ page }, use) => use(new LearningPage(page)),
});

test.describe.configure({ mode: 'serial' });

/** What the tests carry from one to the next. */
const state: { painted: number; candidate: string } = { painted: 0, candidate: '' };

function countDifferences(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

test('opens a case and paints a correction with the mouse', async ({
  learningServer,
  worklist,
  editor,
  shot,
}) => {
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await expect(editor.root).toHaveAttribute('data-model-id', MODEL_ID);
  await shot('editor-ai-mask');

  await editor.clearMask();
  await editor.chooseTool('Brush');
  await editor.setBrushMm(6);
  await editor.stroke([0.4, 0.4], [0.6, 0.55]);
  state.painted = await editor.painted();
  expect(state.painted).toBeGreaterThan(500);
  const mask = await editor.mask();
  expect(mask.painted).toBe(state.painted);

  // The eraser takes some of it back, as one more undo step.
  await editor.chooseTool('Eraser');
  await editor.setBrushMm(2);
  await editor.stroke([0.45, 0.45], [0.5, 0.47]);
  const afterErase = await editor.painted();
  expect(afterErase).toBeLessThan(state.painted);
  expect(afterErase).toBeGreaterThan(0);
  state.painted = afterErase;
  await editor.expectDraftSaved();
  await editor.viewport.screenshot({ path: test.info().outputPath('painted-viewport.png') });
  await shot('painted');
});

test('saving writes the painted mask to G and the scan to R of the training sample', async ({
  learningServer,
  worklist,
  editor,
  shot,
}) => {
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  // The autosaved draft of the previous test comes back.
  await expect(editor.root).toHaveAttribute('data-draft', 'restored');
  await editor.expectPainted(state.painted);

  await editor.setReader(READER);
  await editor.save();
  await expect(editor.message).toContainText('Saved version 1');
  const pageMask = await editor.mask();
  const painted = editorMaskBits(pageMask);
  await shot('saved');

  // The sample is built after the save answered; the listing (as a fine-tune) builds it if missing.
  const row = (await learningServer.trainingSamples())
    .filter((s) => s.labelSource === 'annotation' && s.kind === 'full')
    .at(-1);
  const db = new Database(join(learningServer.workspace, 'mammo.sqlite'), { readonly: true });
  const annotation = db
    .prepare('SELECT mask_path AS path FROM annotations ORDER BY id DESC LIMIT 1')
    .get() as { path: string } | undefined;
  db.close();
  expect(row).toBeDefined();
  expect(row!.imageId).toBe(pageMask.imageId);
  expect(row!.author).toBe(READER);
  // mini-MIAS is 0.2 mm per pixel, the training spacing: the sample is at the image's own size.
  expect([row!.columns, row!.rows]).toEqual([pageMask.columns, pageMask.rows]);

  const sample = decode(readFileSync(join(learningServer.workspace, row!.path)));
  expect(sample.channels).toBe(3);
  const n = pageMask.columns * pageMask.rows;
  const green = Uint8Array.from({ length: n }, (_, i) => (sample.data[i * 3 + 1]! > 0 ? 1 : 0));
  const greenValues = new Set(Array.from({ length: n }, (_, i) => sample.data[i * 3 + 1]!));
  expect([...greenValues].sort((a, b) => a - b)).toEqual([0, 255]);
  expect(countDifferences(green, painted)).toBe(0);
  expect(Array.from({ length: n }, (_, i) => sample.data[i * 3 + 2]!).every((b) => b === 0)).toBe(true);

  // R is the scan: exactly one fixture image has these pixels.
  const red = Uint8Array.from({ length: n }, (_, i) => sample.data[i * 3]!);
  const matches = readdirSync(MIAS_IMAGES).filter((file) => {
    const scan = decode(readFileSync(join(MIAS_IMAGES, file)));
    if (scan.width !== pageMask.columns || scan.height !== pageMask.rows) return false;
    for (let i = 0; i < n; i++) if (scan.data[i * scan.channels] !== red[i]) return false;
    return true;
  });
  expect(matches).toHaveLength(1);
  expect(['mdb001.png', 'mdb002.png']).toContain(matches[0]);

  // The annotation's own mask file (image resolution, 255 inside) is the painted mask too.
  const savedMask = maskFileBits(join(learningServer.workspace, annotation!.path));
  expect(savedMask).toHaveLength(painted.length);
  expect(countDifferences(savedMask, painted)).toBe(0);
  await expect(editor.versions).toHaveCount(1);
});

test('undo and redo step back and forth through strokes and finding changes', async ({
  learningServer,
  worklist,
  editor,
  page,
  shot,
}) => {
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  // No draft after saving: editing starts from the newest saved version.
  await expect(editor.message).toContainText('Editing from version 1');
  const start = await editor.painted();
  expect(start).toBe(state.painted);

  await editor.chooseTool('Brush');
  await editor.setBrushMm(3);
  await editor.stroke([0.25, 0.25], [0.3, 0.3]);
  const afterA = await editor.painted();
  await editor.stroke([0.65, 0.65], [0.7, 0.75]);
  const afterB = await editor.painted();
  expect(afterA).toBeGreaterThan(start);
  expect(afterB).toBeGreaterThan(afterA);

  // A missed finding with its type, placed by clicking the image.
  await page.getByLabel('Missed finding type').selectOption('calcification');
  await page.getByRole('button', { name: 'Add finding…' }).click();
  const box = (await editor.viewport.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const added = page.getByTestId('added-finding');
  await expect(added).toHaveCount(1);
  await expect(added).toHaveAttribute('data-type', 'calcification');

  // Accept or reject an AI finding in one click, when the (untrained) model outlined any.
  const firstFinding = page.getByTestId('finding').first();
  const decided = (await firstFinding.count()) > 0;
  if (decided) {
    await firstFinding.getByRole('button', { name: 'Reject' }).click();
    await expect(firstFinding).toHaveAttribute('data-decision', 'rejected');
  }
  await shot('before-undo');
  const depth = Number(await editor.attribute('data-undo-depth'));
  expect(depth).toBe(decided ? 4 : 3);

  await editor.viewport.hover();
  if (decided) {
    await editor.undo();
    await expect(firstFinding).toHaveAttribute('data-decision', '');
  }
  await editor.undo();
  await expect(added).toHaveCount(0);
  await editor.undo();
  await editor.expectPainted(afterA);
  await editor.undo();
  await editor.expectPainted(start);
  await expect(editor.root).toHaveAttribute('data-undo-depth', '0');
  await shot('undone');

  await editor.redo();
  await editor.expectPainted(afterA);
  await editor.redo();
  await editor.expectPainted(afterB);
  await editor.redo();
  await expect(added).toHaveCount(1);
  if (decided) {
    await editor.redo();
    await expect(firstFinding).toHaveAttribute('data-decision', 'rejected');
  }
  await expect(editor.root).toHaveAttribute('data-redo-depth', '0');
  await editor.expectDraftSaved();
  await shot('redone');
});

test('rectangle, polygon fill and threshold brush, one undo step each', async ({
  learningServer,
  worklist,
  editor,
  page,
  shot,
}) => {
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await editor.clearMask();
  await editor.chooseTool('Rectangle');
  await editor.stroke([0.35, 0.35], [0.45, 0.45]);
  const rectangle = await editor.painted();
  expect(rectangle).toBeGreaterThan(1000);

  await editor.chooseTool('Polygon fill');
  const box = (await editor.viewport.boundingBox())!;
  const depth = Number(await editor.attribute('data-undo-depth'));
  for (const [fx, fy] of [
    [0.55, 0.55],
    [0.65, 0.55],
    [0.65, 0.65],
    [0.55, 0.65],
  ] as const) {
    await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
  }
  await page.keyboard.press('Enter');
  await expect(editor.root).toHaveAttribute('data-undo-depth', String(depth + 1));
  // Rectangle and square are about the same size on screen, and do not overlap.
  const both = await editor.painted();
  expect(both - rectangle).toBeGreaterThan(rectangle * 0.8);
  expect(both - rectangle).toBeLessThan(rectangle * 1.25);
  await shot('rectangle-and-polygon');
  await editor.undo();
  await editor.expectPainted(rectangle);

  // The threshold brush paints only pixels in its intensity range: across the skin line it
  // leaves the dark background out, where the plain brush does not.
  const across: [[number, number], [number, number]] = [
    [0.05, 0.6],
    [0.55, 0.6],
  ];
  await editor.chooseTool('Brush');
  await editor.setBrushMm(3);
  await editor.stroke(...across);
  const brushed = (await editor.painted()) - rectangle;
  await editor.undo();
  await editor.expectPainted(rectangle);
  await editor.chooseTool('Threshold brush');
  await page.getByLabel('Threshold brush lower').fill('30');
  await page.getByLabel('Threshold brush upper').fill('255');
  await editor.stroke(...across);
  const thresholded = (await editor.painted()) - rectangle;
  expect(thresholded).toBeGreaterThan(0);
  expect(thresholded).toBeLessThan(brushed * 0.8);
  await shot('threshold-brush');
  await editor.expectDraftSaved();
});

test('a tiny fine-tune shows its progress and registers a candidate with metrics', async ({
  learningServer,
  worklist,
  editor,
  learning,
  shot,
}) => {
  test.setTimeout(300_000);
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await editor.openLearning();
  await learning.expectLoaded();
  expect(Number(await learning.root.getAttribute('data-unlearned'))).toBeGreaterThan(0);
  await expect(learning.root).toHaveAttribute('data-current-model', MODEL_ID);
  // Before it runs, it says what it will learn from and what will judge it (this workspace holds
  // the mini-MIAS validation patient).
  await expect(learning.plan.getByTestId('finetune-learns')).toHaveText(
    /^Learns from \d+ corrected images? \(\d+ samples?\) and \d+ imported ground-truth images? \(\d+ samples?\)/,
  );
  await expect(learning.plan).toHaveAttribute('data-judged-on', 'workspace');
  await expect(learning.plan.getByTestId('finetune-judged-on')).toContainText(
    `against ${MODEL_ID} measured on the same images`,
  );
  await shot('learning-before');

  const steps = 4;
  await learning.fineTune(steps);
  await expect(learning.runningJob.or(learning.finishedJob)).toBeVisible();
  await shot('fine-tune-started');
  await expect(learning.root).toHaveAttribute('data-job-state', 'succeeded', { timeout: 240_000 });
  // One loss point per step, from the live progress events (or the job's history).
  await expect(learning.lossChart).toHaveAttribute('data-points', String(steps));
  const candidate = (await learning.root.getAttribute('data-candidate-id')) ?? '';
  expect(candidate).not.toBe('');
  state.candidate = candidate;
  const row = learning.modelRow(candidate);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`← ${MODEL_ID}`);
  // Validation metrics on the fixed split (the mini-MIAS validation patient).
  await expect(row.locator('td').nth(4)).toHaveText(/^\d\.\d{3}$/);
  await expect(learning.page.getByTestId('gate-verdict')).toBeVisible();
  // It says what both models were measured on, and how many lesions each set counted.
  await expect(learning.page.getByTestId('gate-measured-on')).toContainText(
    "Measured on this workspace's validation images as stored for training (0.2 mm pixels), both models on the same images;",
  );
  await expect(learning.page.getByTestId('gate-set').first().locator('caption')).toHaveText(
    /\(\d+ images, \d+ patients, \d+ lesions\)$/,
  );
  await shot('fine-tune-finished');

  // A reload draws the finished job's curve from the job itself, not from events it missed.
  await learning.page.reload();
  await learning.expectLoaded();
  await expect(learning.lossChart).toHaveAttribute('data-points', String(steps));
});

test('promoting the candidate and re-analysing reports the new version', async ({
  learningServer,
  worklist,
  editor,
  learning,
  shot,
}) => {
  expect(state.candidate).not.toBe('');
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await editor.openLearning();
  await learning.expectLoaded();
  const row = learning.modelRow(state.candidate);
  if ((await row.getAttribute('data-status')) !== 'current') await learning.promote(state.candidate);
  await expect(learning.root).toHaveAttribute('data-current-model', state.candidate);
  await expect(row).toHaveAttribute('data-status', 'current');
  // The gate's verdict is not left reading as if the candidate were still waiting.
  if ((await learning.finishedJob.getAttribute('data-promoted')) === 'false')
    await expect(learning.page.getByTestId('gate-since')).toContainText('promoted by hand since');
  else await expect(learning.page.getByTestId('gate-since')).toHaveCount(0);

  await learning.reanalyse();
  await expect(learning.reanalysis).toHaveAttribute('data-model-id', state.candidate);
  await shot('promoted-and-reanalysed');

  await learning.page.getByRole('button', { name: '◀ Back' }).click();
  await editor.expectReady();
  await expect(editor.root).toHaveAttribute('data-model-id', state.candidate);
});

test('a draft autosaved before the server is killed comes back after it restarts', async ({
  learningServer,
  worklist,
  editor,
  shot,
}) => {
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await editor.chooseTool('Brush');
  await editor.setBrushMm(5);
  await editor.stroke([0.3, 0.7], [0.45, 0.8]);
  await editor.expectDraftSaved();
  const before = await editor.mask();
  await shot('before-kill');

  await learningServer.kill();
  await learningServer.restart();
  await worklist.goto(learningServer);
  await worklist.open('MIAS-001');
  await editor.openFromViewer();
  await expect(editor.root).toHaveAttribute('data-draft', 'restored');
  await editor.expectPainted(before.painted);
  const after = await editor.mask();
  expect(after.imageId).toBe(before.imageId);
  expect(countDifferences(editorMaskBits(after), editorMaskBits(before))).toBe(0);
  await shot('draft-restored');
});
