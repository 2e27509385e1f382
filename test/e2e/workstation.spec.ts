/**
 * Browser mode end to end: import, worklist, hanging and display, bad input. The tests in this
 * file share one server and workspace of their own (other specs add studies to the worker's
 * shared server) and run in order (import first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { REPO_ROOT, startServeProcess, WorkstationServer } from './support/WorkstationServer.js';

const MIAS_FIXTURE = join(REPO_ROOT, 'test/fixtures/mias');
const SHARED_DICOM = join(REPO_ROOT, '../shared/data/dicom-wg04/MG1_J2KI.dcm');

test.describe.configure({ mode: 'serial' });

let server: WorkstationServer;
test.beforeAll(async () => {
  server = await WorkstationServer.start();
});
test.afterAll(async () => {
  await server?.stop();
});

test('imports the mini-MIAS fixtures and a DICOM study; the worklist shows them', async ({
  inputs,
  worklist,
  shot,
}) => {
  await worklist.goto(server);
  await shot('empty-worklist');

  await worklist.importFrom(MIAS_FIXTURE, 'mias');
  await expect(worklist.importResult).toContainText('Imported 6');
  await expect(worklist.rows).toHaveCount(3);
  await shot('mias-imported');

  await worklist.importFrom(inputs.dicomFolder, 'dicom');
  await expect(worklist.importResult).toContainText('Imported 2');
  await expect(worklist.rows).toHaveCount(4);
  await expect(worklist.row('SYN-001')).toContainText('LCC RCC');
  await expect(worklist.row('MIAS-001')).toContainText('LMLO RMLO');

  // Filtering and keyboard selection.
  await worklist.filter.fill('syn');
  await expect(worklist.rows).toHaveCount(1);
  await worklist.filter.fill('');
  await expect(worklist.rows).toHaveCount(4);
  await shot('worklist');

  // The table's keys come from the shortcut registry, and `?` lists them, the worklist's first.
  const page = worklist.page;
  const selectedRow = page.locator('[data-testid="study-row"][aria-selected="true"]');
  await worklist.rows.first().click();
  await page.keyboard.press('End');
  await expect(selectedRow).toHaveAttribute(
    'data-study-id',
    (await worklist.rows.last().getAttribute('data-study-id'))!,
  );
  await page.keyboard.press('Home');
  await expect(selectedRow).toHaveAttribute(
    'data-study-id',
    (await worklist.rows.first().getAttribute('data-study-id'))!,
  );
  await page.keyboard.press('ArrowDown');
  const second = (await worklist.rows.nth(1).getAttribute('data-study-id'))!;
  await expect(selectedRow).toHaveAttribute('data-study-id', second);
  await page.keyboard.press('?');
  const help = page.getByTestId('help');
  await expect(help.getByTestId('help-section')).toHaveText([
    /^Worklist/,
    /^Reading view/,
    /^Correction editor/,
  ]);
  const listed = help.locator('[data-title="Worklist"] tr');
  const keys: [string, string][] = [
    ['ArrowDown', 'Select the next study'],
    ['Home', 'Select the first study'],
    ['End', 'Select the last study'],
    ['Enter', 'Open the selected study'],
  ];
  for (const [key, description] of keys)
    await expect(listed.filter({ hasText: description })).toContainText(key);
  await shot('worklist-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByTestId('study-table').press('Enter');
  await expect(page.getByTestId('study-viewer')).toHaveAttribute('data-study-id', second);
});

test('a mini-MIAS study hangs RMLO | LMLO with the chest walls back to back', async ({
  worklist,
  viewer,
  page,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('MIAS-001');
  await expect(viewer.grid).toHaveAttribute('data-layout', '1x2');
  await viewer.expectRendered('RMLO');
  await viewer.expectRendered('LMLO');

  const right = await viewer.viewport('RMLO').boundingBox();
  const left = await viewer.viewport('LMLO').boundingBox();
  expect(right && left && right.x < left.x).toBe(true); // the right breast is on the screen's left

  // The files are stored in the standard display: chest walls meet at the centre line.
  const rmlo = await viewer.expectTissueAgainst('RMLO', 'right');
  const lmlo = await viewer.expectTissueAgainst('LMLO', 'left');
  expect(rmlo.litFraction).toBeGreaterThan(0.05);
  expect(lmlo.litFraction).toBeGreaterThan(0.05);
  await shot('mias-hanging');
  await viewer.viewport('RMLO').screenshot({ path: test.info().outputPath('rmlo-viewport.png') });

  // Keyboard: invert toggles, reset restores; full screen and back.
  const before = await viewer.state('RMLO');
  await viewer.viewport('RMLO').click();
  await viewer.press('i');
  await expect.poll(async () => (await viewer.state('RMLO')).invert).toBe(!before.invert);
  await viewer.press('r');
  await expect.poll(async () => (await viewer.state('RMLO')).invert).toBe(before.invert);
  await viewer.press('f');
  await expect(viewer.viewport('RMLO')).toHaveClass(/fullscreen/);
  await viewer.expectTissueAgainst('RMLO', 'right');
  await shot('fullscreen-rmlo');
  await viewer.press('f');
  await expect(viewer.viewport('RMLO')).not.toHaveClass(/fullscreen/);
  await viewer.press('2');
  await viewer.press('?');
  await expect(page.getByTestId('help')).toBeVisible();
  await shot('help');
  await viewer.press('Escape');
  await viewer.backToWorklist();
});

test('a DICOM study: MONOCHROME1 shows tissue bright, a mirrored RCC is flipped to the centre line', async ({
  worklist,
  viewer,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('SYN-001');
  await expect(viewer.grid).toHaveAttribute('data-layout', '1x2');
  await viewer.expectRendered('RCC');
  await viewer.expectRendered('LCC');
  // RCC is stored A\L (chest wall on the image's left), not the right breast's standard P: flipped.
  await viewer.expectTissueAgainst('RCC', 'right'); // bright tissue: MONOCHROME1 inverted
  await viewer.expectTissueAgainst('LCC', 'left'); // stored A\R, the standard display: as is
  expect((await viewer.state('RCC')).flipHorizontal).toBe(true);
  expect((await viewer.state('LCC')).flipHorizontal).toBe(false);
  await shot('synthetic-dicom');
  await viewer.backToWorklist();
});

test('bad input shows an error and the app keeps working', async ({ inputs, worklist, viewer, shot }) => {
  await worklist.goto(server);
  await worklist.importFrom(inputs.missingPath, 'dicom');
  await expect(worklist.importErrors).toContainText('nothing to import: the path does not exist');
  await shot('missing-path');

  await worklist.importFrom(inputs.textFile, 'dicom');
  await expect(worklist.importErrors).toContainText('notes.txt');
  await shot('text-file');

  await worklist.importFrom(inputs.missingPath, 'mias');
  await expect(worklist.importErrors).toBeVisible();

  // Still working: the list is intact and a study opens and renders.
  await expect(worklist.rows).toHaveCount(4);
  await worklist.open('MIAS-003');
  await viewer.expectRendered('RMLO');
  await shot('still-working');
});

test('the shared 4664x3064 JPEG 2000 mammogram renders (when the shared data is present)', async ({
  worklist,
  viewer,
  shot,
}) => {
  test.skip(!existsSync(SHARED_DICOM), 'shared data not present');
  test.setTimeout(180_000);
  await worklist.goto(server);
  await worklist.importFrom(SHARED_DICOM, 'dicom');
  await expect(worklist.importResult).toContainText('Imported 1');
  const row = worklist.rows.filter({ hasText: 'LMLO' }).filter({ hasNotText: 'RMLO' });
  await row.first().click();
  await worklist.page.getByTestId('study-table').press('Enter');
  await viewer.expectRendered('LMLO');
  // L, PatientOrientation A\F: already the standard display (chest wall left), so not flipped.
  await viewer.expectTissueAgainst('LMLO', 'left');
  expect((await viewer.state('LMLO')).flipHorizontal).toBe(false);
  await shot('wg04-lmlo');
});

test('the launch link opens one browser, once; its code leaves the address bar', async ({ browser }) => {
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-e2e-launch-'));
  const { child, url } = await startServeProcess(workspace, join(workspace, 'no-models'));
  try {
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(url);
    await expect(page.getByTestId('worklist')).toBeVisible();
    expect(page.url()).toMatch(new RegExp(`^${new URL(url).origin}/(#.*)?$`)); // swapped for an HttpOnly cookie
    // Chromium sends Origin with a POST, and the server takes it with the cookie (without Origin,
    // a cookie-borne POST is refused).
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/listStudies', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return response.status;
    });
    expect(status).toBe(200);
    expect((await first.cookies()).map((cookie) => cookie.httpOnly)).toEqual([true]);

    // The same link from the history, in a browser without the cookie, opens nothing.
    const second = await browser.newContext();
    const refused = await (await second.newPage()).goto(url);
    expect(refused?.status()).toBe(401);
    expect(await refused?.text()).toContain('launch link was used already');
    await first.close();
    await second.close();
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('the server refuses requests without the token', async ({ request }) => {
  const noToken = await request.post(`${server.origin}/api/listStudies`, {
    data: {},
    headers: { Cookie: '' },
  });
  expect(noToken.status()).toBe(401);
  const image = await request.get(`${server.origin}/files/images/1`, { headers: { Cookie: '' } });
  expect(image.status()).toBe(401);
  const withToken = await request.post(`${server.origin}/api/listStudies`, {
    data: {},
    headers: { Authorization: `Bearer ${server.token}` },
  });
  expect(withToken.ok()).toBe(true);
});
