/**
 * Hanging by what the study holds, measured from the page: the viewport boxes the browser laid out
 * and the pixels Cornerstone drew in each canvas. A same-view series of one breast (the WG04
 * study: two LMLO films, L, A\F, portrait) hangs 1xN side by side; a screening study hangs
 * RCC LCC / RMLO LMLO with the chest walls back to back. The DICOM files are generated, portrait
 * like real mammograms, so the check runs in a fresh clone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { drawnExtent } from './support/layoutProbes.js';
import { writeSyntheticMammogram } from './support/syntheticDicom.js';
import { WorkstationServer } from './support/WorkstationServer.js';

test.describe.configure({ mode: 'serial' });

let server: WorkstationServer;
let folder: string;

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mammo-e2e-hanging-'));
  // HNG-001, like the WG04 study: two LMLO films of one study, stored A\F (the standard display).
  for (const instance of [31, 32]) {
    const film = join(folder, `film-${instance}`); // the generator names files by laterality and view
    mkdirSync(film);
    writeSyntheticMammogram(film, {
      patientId: 'HNG-001',
      studyUid: '2.25.5550001',
      laterality: 'L',
      view: 'MLO',
      tissueAt: 'left',
      photometric: 'MONOCHROME2',
      instance,
    });
  }
  // HNG-002: a screening study, each image stored in its laterality's standard display.
  let instance = 40;
  for (const view of ['CC', 'MLO'] as const)
    for (const laterality of ['R', 'L'] as const)
      writeSyntheticMammogram(folder, {
        patientId: 'HNG-002',
        studyUid: '2.25.5550002',
        laterality,
        view,
        tissueAt: laterality === 'R' ? 'right' : 'left',
        photometric: 'MONOCHROME2',
        instance: ++instance,
      });
  server = await WorkstationServer.start();
  await server.api('importFiles', { paths: [folder], format: 'dicom' });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** How much of its viewport a drawn image covers: drawn width and height over the canvas's. */
interface Fill {
  width: number;
  height: number;
  area: number;
}

/** Waits until the viewport's canvas matches its cell and the image is drawn; returns the fill. */
/** The strip under each view that holds its readout (renderer/styles.css --readout-strip). */
const READOUT_STRIP = 16;

async function measuredFill(cell: Locator): Promise<Fill> {
  const box = (await cell.boundingBox())!;
  let fill: Fill = { width: 0, height: 0, area: 0 };
  await expect
    .poll(async () => {
      const drawn = await drawnExtent(cell.locator('canvas').first());
      fill = { width: drawn.width, height: drawn.height, area: drawn.width * drawn.height };
      // The canvas covers the cell (less its 1 px border and the readout strip at its foot), and
      // the image is fitted: it touches both of the canvas's edges in one direction.
      return (
        Math.abs(drawn.canvasWidth - box.width) <= 4 &&
        Math.abs(drawn.canvasHeight - (box.height - READOUT_STRIP)) <= 4 &&
        Math.max(fill.width, fill.height) > 0.97
      );
    })
    .toBe(true);
  return fill;
}

test('a same-view series (WG04: two LMLO) hangs 1x2 side by side, each image filling its viewport', async ({
  worklist,
  viewer,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('HNG-001');
  await expect(viewer.grid).toHaveAttribute('data-layout', '1x2');
  const first = viewer.viewportByKey('LMLO');
  const second = viewer.viewportByKey('LMLO#2');
  await expect(first).toHaveAttribute('data-rendered', 'true');
  await expect(second).toHaveAttribute('data-rendered', 'true');
  // The two films share a view: their corner labels tell them apart by instance number.
  await expect(first.locator('.viewport-label')).toHaveText('LMLO · image 31');
  await expect(second.locator('.viewport-label')).toHaveText('LMLO · image 32');

  // Side by side, not stacked: one row, two cells that share the grid's width and height.
  const grid = (await viewer.grid.boundingBox())!;
  const a = (await first.boundingBox())!;
  const b = (await second.boundingBox())!;
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + 1);
  for (const cell of [a, b]) {
    expect(cell.height).toBeGreaterThan(grid.height * 0.97);
    expect(cell.width).toBeGreaterThan(grid.width * 0.48);
  }

  // Each canvas is drawn over most of its cell. Stacked 2x1 in this window a portrait film
  // covered about a fifth of its wide cell.
  const fills: Fill[] = [];
  for (const cell of [first, second]) {
    const fill = await measuredFill(cell);
    fills.push(fill);
    expect(fill.area).toBeGreaterThan(0.6);
    // L in the standard display: the chest wall (bright tissue) against the cell's left edge.
    const stats = await viewer.statsOf(cell);
    expect(stats.leftThirdMean).toBeGreaterThan(stats.rightThirdMean * 1.5);
  }
  writeFileSync(test.info().outputPath('fill.json'), JSON.stringify(fills, null, 2));
  await shot('wg04-like-1x2');
  await viewer.grid.screenshot({ path: test.info().outputPath('wg04-like-grid.png') });
});

test('a screening study hangs RCC LCC / RMLO LMLO, chest walls back to back, each image fitted', async ({
  worklist,
  viewer,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('HNG-002');
  await expect(viewer.grid).toHaveAttribute('data-layout', '2x2');
  for (const label of ['RCC', 'LCC', 'RMLO', 'LMLO']) await viewer.expectRendered(label);
  const box = async (label: string) => (await viewer.viewport(label).boundingBox())!;
  const [rcc, lcc, rmlo, lmlo] = await Promise.all(['RCC', 'LCC', 'RMLO', 'LMLO'].map(box));
  // R on the screen's left, L on its right; CC above MLO.
  expect(rcc!.x).toBeLessThan(lcc!.x);
  expect(rmlo!.x).toBeLessThan(lmlo!.x);
  expect(rcc!.y).toBeLessThan(rmlo!.y);
  expect(lcc!.y).toBeLessThan(lmlo!.y);
  // Chest walls meet at the centre line: R tissue against its right edge, L against its left.
  for (const view of ['CC', 'MLO']) {
    await viewer.expectTissueAgainst(`R${view}`, 'right');
    await viewer.expectTissueAgainst(`L${view}`, 'left');
  }
  const fills: Record<string, Fill> = {};
  for (const label of ['RCC', 'LCC', 'RMLO', 'LMLO']) {
    const fill = await measuredFill(viewer.viewport(label));
    expect(fill.height).toBeGreaterThan(0.97); // portrait in a landscape cell: fitted to its height
    fills[label] = fill;
  }
  writeFileSync(test.info().outputPath('fill.json'), JSON.stringify(fills, null, 2));
  await shot('screening-2x2');
});
