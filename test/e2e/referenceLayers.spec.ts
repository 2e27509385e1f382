/**
 * The reading view's reference layers, checked from canvas pixels: the imported mini-MIAS ground
 * truth (annotations.csv: mdb001's circle at x 535, row 599, radius 197 px) and the newest saved
 * correction (a rectangle saved here) are hidden when a study opens, appear where the image has
 * them when toggled (V, S, or the toolbar's buttons) and leave again. The image's own box on the
 * screen is read from Cornerstone's canvas with the view inverted (the film then lights up to
 * its edges), not from the app. A ground-truth record without a centre is named on its image. In
 * the editor, a missed finding outlined by a drag is as large as its outline. The tests share one
 * server of their own and run in order.
 */
import { encode } from 'fast-png';
import type { Image, StudyDetail, StudySummary } from '../../main/api/domain.js';
import { expect, test } from './fixtures.js';
import { EditorPage } from './pages/EditorPage.js';
import { pixelBox, shownBox } from './support/layoutProbes.js';
import { REPO_ROOT, WorkstationServer } from './support/WorkstationServer.js';

/** The layers' colours as the legend states them: ground truth #ff4dff, corrections #33ccff. */
const TRUTH = { near: [255, 77, 255], tolerance: 40 } as const;
const SAVED = { near: [51, 204, 255], tolerance: 40 } as const;
/** mdb001 in test/fixtures/mias/annotations.csv (row = 1024 - y). */
const CIRCLE = { column: 535, row: 599, radius: 197 };
const SIDE = 1024;
/** The saved correction's rectangle, in image pixels (inclusive). */
const RECT = { top: 100, bottom: 199, left: 300, right: 499 };

test.describe.configure({ mode: 'serial' });

// Its own server: the correction saved below must not reach the shared worker server.
let server: WorkstationServer;
/** MIAS-001's right image (mdb001), 1024 px square. */
let right: Image;

test.beforeAll(async () => {
  server = await WorkstationServer.start();
  await server.api('importFiles', { paths: [`${REPO_ROOT}test/fixtures/mias`], format: 'mias' });
  const studies = (await server.api('listStudies', {})) as StudySummary[];
  const study = studies.find((s) => s.patientId === 'MIAS-001');
  if (!study) throw new Error('MIAS-001 was not imported');
  const detail = (await server.api('getStudy', { studyId: study.id })) as StudyDetail;
  const image = detail.images.find((i) => i.laterality === 'R');
  if (!image || image.columns !== SIDE || image.rows !== SIDE) throw new Error('no 1024 px RMLO');
  right = image;
  const mask = new Uint8Array(SIDE * SIDE);
  for (let r = RECT.top; r <= RECT.bottom; r++)
    for (let c = RECT.left; c <= RECT.right; c++) mask[r * SIDE + c] = 255;
  await server.api('saveAnnotation', {
    imageId: right.id,
    maskPng: Buffer.from(encode({ width: SIDE, height: SIDE, data: mask, channels: 1, depth: 8 })).toString(
      'base64',
    ),
    author: 'Dr E2E',
    findings: { decisions: [], added: [{ type: 'mass', centroidRow: 150, centroidColumn: 400 }] },
  });
});

test.afterAll(async () => {
  await server?.stop();
});

test('ground truth and the saved correction are toggleable layers, seen in the canvas pixels', async ({
  worklist,
  viewer,
  page,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('MIAS-001');
  for (const view of ['RMLO', 'LMLO']) await viewer.expectRendered(view);
  const cell = viewer.viewport('RMLO');
  const layer = cell.getByTestId('reference-layers');
  const image = cell.locator('.viewport-element canvas').first();

  // Hidden on opening: a case is read blind first.
  await expect(layer).toHaveAttribute('data-ground-truth', '0');
  expect(await pixelBox(layer, TRUTH)).toBeNull();
  expect(await pixelBox(layer, SAVED)).toBeNull();

  // The image's box on screen: inverted, its dark background lights up to the film's edges.
  await cell.click();
  await viewer.press('i');
  const box = await shownBox(image, 'lit', 100_000);
  await viewer.press('i');
  const scale = (box.right - box.left) / SIDE;
  expect(Math.abs((box.bottom - box.top) / SIDE - scale)).toBeLessThan(0.01); // square pixels
  const at = (column: number, row: number): [number, number] => [
    box.left + column * scale,
    box.top + row * scale,
  ];

  // V: the ring lies on the circle of the CSV (its label sits above it, inside its width).
  await viewer.press('v');
  await expect(page.getByTestId('layer-groundTruth')).toHaveAttribute('aria-pressed', 'true');
  const drawnRing = await shownBox(layer, TRUTH, 200);
  const [cx, cy] = at(CIRCLE.column + 0.5, CIRCLE.row + 0.5);
  const r = CIRCLE.radius * scale;
  expect(Math.abs(drawnRing.left - (cx - r))).toBeLessThan(3);
  expect(Math.abs(drawnRing.right - (cx + r))).toBeLessThan(3);
  expect(Math.abs(drawnRing.bottom - (cy + r))).toBeLessThan(3);
  expect(drawnRing.top).toBeLessThan(cy - r);
  // The left breast's image has its own circle (mdb002).
  await shownBox(viewer.viewport('LMLO').getByTestId('reference-layers'), TRUTH, 50);
  await shot('ground-truth-shown');

  // The Saved button: the correction's rectangle where it was saved.
  await page.getByTestId('layer-corrections').click();
  await expect(page.getByTestId('layer-corrections')).toHaveText(/\(1\)/);
  const drawnRect = await shownBox(layer, SAVED, 500);
  const [left, top] = at(RECT.left, RECT.top);
  const [rightEdge, bottom] = at(RECT.right + 1, RECT.bottom + 1);
  for (const [drawn, expected] of [
    [drawnRect.left, left],
    [drawnRect.top, top],
    [drawnRect.right, rightEdge],
    [drawnRect.bottom, bottom],
  ] as const)
    expect(Math.abs(drawn - expected)).toBeLessThan(3);
  // Nothing saved for the left image.
  expect(await pixelBox(viewer.viewport('LMLO').getByTestId('reference-layers'), SAVED)).toBeNull();
  await cell.screenshot({ path: test.info().outputPath('rmlo-both-layers.png') });

  // V again hides the ring, the correction stays; S hides it too.
  await viewer.press('v');
  await expect.poll(async () => await pixelBox(layer, TRUTH)).toBeNull();
  expect((await pixelBox(layer, SAVED))?.pixels ?? 0).toBeGreaterThan(500);
  await viewer.press('s');
  await expect(page.getByTestId('layer-corrections')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => await pixelBox(layer, SAVED)).toBeNull();
});

test('in the editor, a missed finding outlined by a drag is as large as its outline', async ({
  worklist,
  viewer,
  page,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('MIAS-001');
  await viewer.expectRendered('RMLO');
  // A circle of 60 screen px radius on the fitted 1024 px image is 120 px / scale across, times
  // the pixel spacing.
  await viewer.viewport('RMLO').click();
  const editor = new EditorPage(page);
  await editor.openFromViewer();
  await page.getByRole('button', { name: 'Add finding…' }).click();
  const area = await editor.viewport.boundingBox();
  if (!area || !right.pixelSpacingMm) throw new Error('no editor viewport or no pixel spacing');
  const [x0, y0] = [area.x + area.width * 0.5, area.y + area.height * 0.5];
  const radius = 60;
  await page.mouse.move(x0 + radius, y0);
  await page.mouse.down();
  for (let step = 1; step <= 48; step++) {
    const angle = (2 * Math.PI * step) / 48;
    await page.mouse.move(x0 + radius * Math.cos(angle), y0 + radius * Math.sin(angle));
  }
  await page.mouse.up();
  // The saved version's clicked mass (no size), then the outlined one.
  const added = page.getByTestId('added-finding');
  await expect(added).toHaveCount(2);
  await expect(added.first()).toHaveAttribute('data-size-mm', '');
  const editorScale = Math.min(area.width, area.height) / SIDE;
  const expectedMm = ((2 * radius) / editorScale) * right.pixelSpacingMm[1];
  const sizeMm = Number(await added.last().getAttribute('data-size-mm'));
  expect(Math.abs(sizeMm - expectedMm)).toBeLessThan(0.05 * expectedMm);
  await shot('editor-outlined-finding');
});

test('a ground-truth record without a centre is named on its image, a normal image shows none', async ({
  worklist,
  viewer,
  page,
  shot,
}) => {
  // MIAS-108: mdb216's calcifications have no centre in the CSV (image-level), mdb215 is normal.
  // The truth layer names them at the top of their image, and draws nothing on the normal one.
  await worklist.goto(server);
  await worklist.open('MIAS-108');
  const views = viewer.root.getByTestId('viewport');
  await expect(views).toHaveCount(2);
  for (const view of await views.all()) await expect(view).toHaveAttribute('data-rendered', 'true');
  await viewer.press('v');
  await expect(page.getByTestId('layer-groundTruth')).toHaveText(/\(1\)/);
  const canvases = (await views.all()).map((view) => view.getByTestId('reference-layers'));
  let shown: number[] = [];
  await expect
    .poll(async () => {
      shown = await Promise.all(canvases.map(async (c) => (await pixelBox(c, TRUTH))?.pixels ?? 0));
      return shown.filter((pixels) => pixels > 30).length;
    })
    .toBe(1);
  expect(shown.filter((pixels) => pixels === 0)).toHaveLength(1);
  await shot('image-level-ground-truth');
});
