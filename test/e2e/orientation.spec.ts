/**
 * Orientation, checked from screen pixels against display-conventions.md: R hung on the left and
 * L on the right with the chest walls at the centre line, and a burned-in marker that reads
 * unmirrored in the reading view and in the editor. The DICOM files are generated with a marker
 * glyph ("F"); some are stored mirrored, so only a correct flip makes the marker read right.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Locator } from '@playwright/test';
import { decode } from 'fast-png';
import { expect, test } from './fixtures.js';
import { MARKER_GLYPH, writeSyntheticMammogram } from './support/syntheticDicom.js';
import { WorkstationServer } from './support/WorkstationServer.js';

test.describe.configure({ mode: 'serial' });

let server: WorkstationServer;
let folder: string;

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mammo-e2e-orientation-'));
  const studyUid = '2.25.9081726354';
  // ORI-001: RMLO stored in the standard display (P\F); LMLO stored mirrored (P\F, tissue right).
  writeSyntheticMammogram(folder, {
    patientId: 'ORI-001',
    studyUid,
    laterality: 'R',
    view: 'MLO',
    tissueAt: 'right',
    photometric: 'MONOCHROME2',
    instance: 11,
    marker: { mirrored: false },
  });
  writeSyntheticMammogram(folder, {
    patientId: 'ORI-001',
    studyUid,
    laterality: 'L',
    view: 'MLO',
    tissueAt: 'right',
    photometric: 'MONOCHROME2',
    instance: 12,
    marker: { mirrored: true },
  });
  // ORI-002: an LCC without PatientOrientation, stored mirrored: the tissue side decides.
  writeSyntheticMammogram(folder, {
    patientId: 'ORI-002',
    studyUid: '2.25.9081726355',
    laterality: 'L',
    view: 'CC',
    tissueAt: 'right',
    photometric: 'MONOCHROME1',
    instance: 21,
    patientOrientation: null,
    marker: { mirrored: true },
  });
  server = await WorkstationServer.start();
  await server.api('importFiles', { paths: [folder], format: 'dicom' });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Where the marker lies in a screenshot and whether it reads as the glyph or as its mirror image. */
interface MarkerReading {
  /** Centre of the lit marker as a fraction of the element's width. */
  centreX: number;
  cells: string[];
}

/**
 * Finds the marker in an element's screenshot (pure white: the image's full-scale pixels; the
 * yellow labels and grey tissue stay below the threshold) and samples its bounding box on the
 * glyph's 5x7 grid.
 */
async function readMarker(element: Locator): Promise<MarkerReading> {
  const png = decode(await element.screenshot());
  const { width, height, data } = png;
  const channels = data.length / (width * height);
  const lit = (x: number, y: number): boolean => {
    const i = (y * width + x) * channels;
    return Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 235;
  };
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (lit(x, y)) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  expect(x1, 'no marker on screen').toBeGreaterThan(x0);
  const columns = MARKER_GLYPH[0]!.length;
  const rows = MARKER_GLYPH.length;
  const cells: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = '';
    for (let column = 0; column < columns; column++) {
      // The middle half of each cell, away from interpolated edges.
      const cx0 = x0 + ((column + 0.25) * (x1 - x0 + 1)) / columns;
      const cx1 = x0 + ((column + 0.75) * (x1 - x0 + 1)) / columns;
      const cy0 = y0 + ((row + 0.25) * (y1 - y0 + 1)) / rows;
      const cy1 = y0 + ((row + 0.75) * (y1 - y0 + 1)) / rows;
      let on = 0;
      let all = 0;
      for (let y = Math.floor(cy0); y < cy1; y++)
        for (let x = Math.floor(cx0); x < cx1; x++) {
          all++;
          if (lit(x, y)) on++;
        }
      line += on * 2 > all ? '1' : '0';
    }
    cells.push(line);
  }
  return { centreX: (x0 + x1) / 2 / width, cells };
}

const MIRRORED_GLYPH = MARKER_GLYPH.map((row) => [...row].reverse().join(''));

test('R left and L right, chest walls at the centre line, markers unmirrored, orientation labels', async ({
  page,
  worklist,
  viewer,
  shot,
}) => {
  expect(MIRRORED_GLYPH).not.toEqual(MARKER_GLYPH); // the check can tell the two apart
  await worklist.goto(server);
  await worklist.open('ORI-001');
  await expect(viewer.grid).toHaveAttribute('data-layout', '1x2');
  await viewer.expectRendered('RMLO');
  await viewer.expectRendered('LMLO');
  const right = await viewer.viewport('RMLO').boundingBox();
  const left = await viewer.viewport('LMLO').boundingBox();
  expect(right!.x).toBeLessThan(left!.x);
  // Chest walls back to back: RMLO's tissue against its right edge, LMLO's against its left.
  await viewer.expectTissueAgainst('RMLO', 'right');
  await viewer.expectTissueAgainst('LMLO', 'left');

  const rmlo = await readMarker(viewer.viewport('RMLO').locator('canvas').first());
  const lmlo = await readMarker(viewer.viewport('LMLO').locator('canvas').first());
  expect(rmlo.cells).toEqual(MARKER_GLYPH);
  expect(lmlo.cells).toEqual(MARKER_GLYPH); // stored mirrored, shown flipped: reads correctly
  expect(rmlo.centreX).toBeLessThan(0.5); // the marker sits away from the chest wall
  expect(lmlo.centreX).toBeGreaterThan(0.5);

  // PS3.3 C.7.6.1.1.1 letters at the edges: RMLO rows run P (chest wall right), LMLO rows run A.
  const labels = async (view: string): Promise<string[]> =>
    viewer.viewport(view).locator('.orientation-label').allTextContents();
  expect(await labels('RMLO')).toEqual(['A', 'P', 'H', 'F']);
  expect(await labels('LMLO')).toEqual(['P', 'A', 'H', 'F']);
  await shot('orientation-mlo-pair');

  // The editor opens the view exactly as the reader saw it.
  await viewer.viewport('LMLO').click();
  await page.getByTestId('edit-image').click();
  const editorCanvas = page.getByTestId('editor-viewport').locator('canvas').first();
  await expect(editorCanvas).toBeVisible();
  await expect
    .poll(async () => (await readMarker(editorCanvas)).cells, { timeout: 30_000 })
    .toEqual(MARKER_GLYPH);
  expect((await readMarker(editorCanvas)).centreX).toBeGreaterThan(0.5);
  await expect(page.getByTestId('mask-editor').locator('.orientation-label')).toHaveText([
    'P',
    'A',
    'H',
    'F',
  ]);
  await shot('orientation-editor');
});

test('without PatientOrientation the tissue side decides the flip', async ({ worklist, viewer, shot }) => {
  await worklist.goto(server);
  await worklist.open('ORI-002');
  await viewer.expectRendered('LCC');
  await viewer.expectTissueAgainst('LCC', 'left'); // MONOCHROME1, stored with the tissue on the right
  const marker = await readMarker(viewer.viewport('LCC').locator('canvas').first());
  expect(marker.cells).toEqual(MARKER_GLYPH);
  await shot('orientation-no-patient-orientation');
});

test('studies have URLs: reload stays on the study, Back returns to the worklist', async ({
  page,
  worklist,
  viewer,
}) => {
  await worklist.goto(server);
  await worklist.open('ORI-002');
  await expect(page).toHaveURL(/#\/study\/\d+$/);
  await page.reload();
  await viewer.expectRendered('LCC');
  await page.goBack();
  await expect(page.getByTestId('worklist')).toBeVisible();
  // `/` goes to the filter from anywhere on the worklist, not only from the table.
  await page.locator('.app-name').click();
  await page.keyboard.press('/');
  await expect(worklist.filter).toBeFocused();
  await page.goForward();
  await viewer.expectRendered('LCC');
});
