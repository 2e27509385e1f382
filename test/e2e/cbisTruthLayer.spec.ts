/**
 * The Truth layer on CBIS-DDSM, checked from canvas pixels on a generated miniature: a COCO box
 * (the 800x800 layout, rows x 1.70 on import) is drawn where the box lies on the image, labelled
 * with its pathology, BI-RADS assessment and subtlety; a TCIA ROI mask is drawn as the lesion's own
 * outline; and the viewport says its spacing is estimated. The image's box on the screen is read
 * from Cornerstone's canvas with the view inverted (its dark frame then lights up to its edges).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodeJpegBaseline } from '../helpers/encoders.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { expect, test } from './fixtures.js';
import { shownBox } from './support/layoutProbes.js';
import { WorkstationServer } from './support/WorkstationServer.js';

/** The Truth layer's colour as its legend states it. */
const TRUTH = { near: [255, 77, 255], tolerance: 40 } as const;
/** The COCO copy is 200 x 200; imported, 200 columns x 340 rows of square pixels. */
const SIDE = 200;
const ROWS = 340;
/** The COCO box [x, y, w, h] and where it lies after the rescale (rows x 1.70). */
const COCO_BOX = [40, 60, 120, 60] as const;
const BOX = { left: 40, top: 102, right: 160, bottom: 204 };
/** The TCIA miniature: a 160 x 240 full mammogram whose ROI mask is an ellipse. */
const TCIA = { columns: 160, rows: 240, centre: [70, 130], radii: [30, 45] } as const;
const HEADER =
  'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path';

test.describe.configure({ mode: 'serial' });

let server: WorkstationServer;
let dataDir: string;

test.beforeAll(async () => {
  server = await WorkstationServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-cbis-'));

  // The COCO layout: one LCC copy with a dark 4-pixel frame and one box.
  const coco = join(dataDir, 'coco');
  mkdirSync(join(coco, 'train'), { recursive: true });
  const values = new Uint8Array(SIDE * SIDE).map((_, i) => {
    const [row, column] = [Math.floor(i / SIDE), i % SIDE];
    return row < 4 || column < 4 || row >= SIDE - 4 || column >= SIDE - 4 ? 0 : 120;
  });
  writeFileSync(
    join(coco, 'train', '00001_LEFT_CC.jpg'),
    await encodeJpegBaseline({ width: SIDE, height: SIDE, bitsPerSample: 8, values }),
  );
  writeFileSync(
    join(coco, 'train', '_annotations.coco.json'),
    JSON.stringify({
      categories: [{ id: 0, name: 'mass' }],
      images: [{ id: 0, file_name: '00001_LEFT_CC.jpg', width: SIDE, height: SIDE }],
      annotations: [{ id: 0, image_id: 0, category_id: 0, bbox: COCO_BOX }],
    }),
  );
  writeFileSync(
    join(coco, 'mass_case_description_train_set.csv'),
    `${HEADER}\nP_00001,2,LEFT,CC,1,mass,OVAL,CIRCUMSCRIBED,4,MALIGNANT,3,a.dcm,b.dcm,c.dcm\n`,
  );
  await server.api('importFiles', { paths: [coco], format: 'cbis-ddsm' });

  // The TCIA layout: one RCC full mammogram and its ROI mask.
  const tcia = join(dataDir, 'tcia');
  const mask = new Uint8Array(TCIA.columns * TCIA.rows).map((_, i) => {
    const [row, column] = [Math.floor(i / TCIA.columns), i % TCIA.columns];
    return ((column - TCIA.centre[0]) / TCIA.radii[0]) ** 2 + ((row - TCIA.centre[1]) / TCIA.radii[1]) ** 2 <
      1
      ? 255
      : 0;
  });
  const put = (path: string, bytes: Uint8Array): void => {
    mkdirSync(dirname(join(tcia, path)), { recursive: true });
    writeFileSync(join(tcia, path), bytes);
  };
  put(
    'Mass-Training_P_00002_RIGHT_CC/1.2/1.3/000000.dcm',
    writeSyntheticDicom({
      rows: TCIA.rows,
      columns: TCIA.columns,
      patientId: 'Mass-Training_P_00002_RIGHT_CC',
    }),
  );
  put(
    'Mass-Training_P_00002_RIGHT_CC_1/1.4/1.5/000000.dcm',
    writeSyntheticDicom({ rows: TCIA.rows, columns: TCIA.columns, bitsAllocated: 8, pixels: mask }),
  );
  writeFileSync(
    join(tcia, 'mass_case_description_train_set.csv'),
    `${HEADER}\nP_00002,3,RIGHT,CC,1,mass,IRREGULAR,SPICULATED,5,BENIGN,2,"Mass-Training_P_00002_RIGHT_CC/1.2/1.3/000000.dcm","Mass-Training_P_00002_RIGHT_CC_1/1.4/1.5/000000.dcm","Mass-Training_P_00002_RIGHT_CC_1/1.4/1.5/000000.dcm"\n`,
  );
  await server.api('importFiles', { paths: [tcia], format: 'cbis-ddsm' });
});

test.afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a CBIS-DDSM box is drawn where it lies, labelled with its pathology; the spacing says estimated', async ({
  worklist,
  viewer,
  shot,
}) => {
  await worklist.goto(server);
  await worklist.open('CBIS-DDSM-P_00001');
  await viewer.expectRendered('LCC');
  const cell = viewer.viewport('LCC');
  const layer = cell.getByTestId('reference-layers');
  const image = cell.locator('.viewport-element canvas').first();

  // The image's box on screen: inverted, its dark frame lights up to the image's edges.
  await cell.click();
  await viewer.press('i');
  const shown = await shownBox(image, 'lit', 10_000);
  await viewer.press('i');
  const scale = (shown.right - shown.left) / SIDE;
  expect(Math.abs((shown.bottom - shown.top) / ROWS - scale)).toBeLessThan(0.01); // square pixels
  const at = (column: number, row: number): [number, number] => [
    shown.left + column * scale,
    shown.top + row * scale,
  ];

  await viewer.press('v');
  await expect(layer).toHaveAttribute('data-ground-truth-boxes', '1');
  await expect(layer).toHaveAttribute(
    'data-ground-truth-labels',
    'MASS MALIGNANT / BI-RADS 4 · subtlety 3/5',
  );
  // The box's sides where the rescaled COCO box lies; its label above it, inside its width.
  const drawn = await shownBox(layer, TRUTH, 300);
  const [left, top] = at(BOX.left, BOX.top);
  const [right, bottom] = at(BOX.right, BOX.bottom);
  expect(Math.abs(drawn.left - left)).toBeLessThan(3);
  expect(Math.abs(drawn.right - right)).toBeLessThan(3);
  expect(Math.abs(drawn.bottom - bottom)).toBeLessThan(3);
  expect(drawn.top).toBeLessThan(top - 15);
  await shot('cbis-box-truth');

  const spacing = cell.getByTestId('spacing-estimated');
  await expect(spacing).toHaveText('· 0.19 mm/px estimated');
  await expect(spacing).toHaveAttribute('title', /^estimated, not measured/);
});

test('a CBIS-DDSM ROI mask is drawn as the lesion outline', async ({ worklist, viewer, shot }) => {
  await worklist.goto(server);
  await worklist.open('CBIS-DDSM-P_00002');
  await viewer.expectRendered('RCC');
  const cell = viewer.viewport('RCC');
  const layer = cell.getByTestId('reference-layers');
  const image = cell.locator('.viewport-element canvas').first();
  // The synthetic DICOM is a gradient from 0 at its top-left corner: lit everywhere but there.
  const shown = await shownBox(image, 'lit', 10_000);
  const scale = (shown.right - shown.left) / TCIA.columns;

  await cell.click();
  await viewer.press('v');
  await expect(layer).toHaveAttribute('data-ground-truth-outlines', '1');
  await expect(layer).toHaveAttribute('data-ground-truth-labels', 'MASS BENIGN / BI-RADS 5 · subtlety 2/5');
  const drawn = await shownBox(layer, TRUTH, 200);
  // The ellipse's left, right and bottom edges (pixel edges of the mask), the label above it.
  const edge = (column: number, row: number): [number, number] => [
    shown.left + column * scale,
    shown.top + row * scale,
  ];
  const [left, bottom] = edge(TCIA.centre[0] - TCIA.radii[0] + 1, TCIA.centre[1] + TCIA.radii[1]);
  const [right] = edge(TCIA.centre[0] + TCIA.radii[0], 0);
  expect(Math.abs(drawn.left - left)).toBeLessThan(4);
  expect(Math.abs(drawn.right - right)).toBeLessThan(4);
  expect(Math.abs(drawn.bottom - bottom)).toBeLessThan(4);
  await shot('cbis-outline-truth');
});
