/**
 * Laptop screens: at 1366x768 and 1280x720 nothing overflows or is cut off. Measured from the
 * page's own layout: no container wider than its box (scrollWidth > clientWidth), no control
 * outside the window or clipped by an ancestor, the editor's image drawn whole (the drawn pixels
 * keep the image's aspect ratio and reach the canvas edges in one direction), the learning page
 * using the window's width, and export paths wrapping only after a separator. Synthetic DICOMs
 * (with a grey, not black, background, so the drawn image's extent shows in the pixels).
 */
import { expect, test } from './fixtures.js';
import { EditorPage } from './pages/EditorPage.js';
import { ReportPage } from './pages/ReportPage.js';
import { breaksInsideNames, drawnExtent, layoutProblems, overlappingTexts } from './support/layoutProbes.js';

test.describe.configure({ mode: 'serial' });

/** Containers that must never scroll or clip sideways. */
const CONTAINERS = [
  '.app-bar',
  '.worklist',
  '.worklist-bar',
  '[data-testid="study-table"]',
  '.viewer-toolbar',
  '.viewer-body',
  '.ai-panel',
  '.report-panel',
  '.editor-body',
  '.editor-side',
  '.learning-panel',
];

for (const size of [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
]) {
  test(`at ${size.width}x${size.height} the worklist, viewer, report, editor and learning page fit`, async ({
    page,
    server,
    inputs,
    worklist,
    viewer,
  }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(size);
    const shot = async (name: string): Promise<void> => {
      await page.screenshot({ path: test.info().outputPath(`${size.width}x${size.height}-${name}.png`) });
    };
    await worklist.goto(server);
    if (!(await worklist.row('SYN-001').count())) {
      await worklist.importFrom(inputs.dicomFolder, 'dicom');
      await expect(worklist.row('SYN-001')).toBeVisible();
    }
    await shot('worklist');
    expect.soft(await layoutProblems(page, CONTAINERS)).toEqual([]);

    await worklist.open('SYN-001');
    await viewer.expectRendered('RCC');
    await viewer.expectRendered('LCC');
    const report = new ReportPage(page);
    await report.openWithKey();
    await shot('viewer-report');
    // In the narrower cells the corner texts stay clear of the edge letters.
    const cornerTexts = '.viewport-label, .viewport-readout, .orientation-label';
    expect(await overlappingTexts(page, '[data-testid="viewport"]', cornerTexts)).toEqual([]);
    expect.soft(await layoutProblems(page, CONTAINERS)).toEqual([]);

    // The report's exports: the paths wrap after a separator, never inside a name.
    if (await report.startReader.isVisible()) {
      await report.startReader.fill('Dr Laptop');
      await report.startButton.click();
      await report.expectStatus('draft');
    }
    const files = await report.exportFiles('json');
    expect(files.length).toBeGreaterThan(0);
    for (const file of await report.exportResult('json').getByTestId('export-file').all())
      expect(await breaksInsideNames(file)).toEqual([]);
    await shot('exports');
    expect.soft(await layoutProblems(page, CONTAINERS)).toEqual([]);
    await page.keyboard.press('b');
    await expect(report.root).toBeHidden();

    // The editor: the whole image, fitted to its canvas, the canvas filling the editor's pane.
    await viewer.viewport('LCC').click();
    const editor = new EditorPage(page);
    await editor.openFromViewer();
    const canvas = editor.viewport.locator('canvas').first();
    const pane = (await page.locator('.editor-viewport').boundingBox())!;
    const body = (await page.locator('.editor-body').boundingBox())!;
    const side = (await page.locator('.editor-side').boundingBox())!;
    // No unused strip: the image pane and the side panel share the body's full width.
    expect(Math.abs(pane.width + side.width - body.width)).toBeLessThanOrEqual(2);
    let drawn = await drawnExtent(canvas);
    await expect
      .poll(async () => {
        drawn = await drawnExtent(canvas);
        return Math.max(drawn.width, drawn.height);
      })
      .toBeGreaterThan(0.97); // fitted: it reaches two opposite edges of the canvas
    expect(Math.abs(drawn.canvasWidth - pane.width)).toBeLessThanOrEqual(3);
    expect(Math.abs(drawn.canvasHeight - pane.height)).toBeLessThanOrEqual(3);
    // Not cropped: the drawn box has the image's own shape (240 columns by 320 rows).
    const drawnAspect = (drawn.width * drawn.canvasWidth) / (drawn.height * drawn.canvasHeight);
    expect(drawnAspect).toBeGreaterThan((240 / 320) * 0.97);
    expect(drawnAspect).toBeLessThan((240 / 320) * 1.03);
    await shot('editor');
    expect.soft(await layoutProblems(page, CONTAINERS)).toEqual([]);

    // `?` in the editor lists its own keys first, then the viewer's, within the window.
    await page.keyboard.press('?');
    const help = page.getByTestId('help');
    await expect(help.getByTestId('help-section')).toHaveText([
      /^Correction editor/,
      /^Reading view/,
      /^Worklist/,
    ]);
    const helpBox = (await help.boundingBox())!;
    expect(helpBox.y + helpBox.height).toBeLessThanOrEqual(size.height);
    await shot('editor-help');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await expect(editor.root).toBeVisible(); // Escape closed the help, not the editor
    await page.keyboard.press('e');
    await expect(editor.root).toHaveAttribute('data-tool', 'eraser');
    // Ctrl+S saves from inside a text field: one more stored version, listed by the server.
    const versionsBefore = Number(await editor.attribute('data-versions'));
    await editor.setReader('Dr Laptop');
    await page.getByLabel('Reader name').press('Control+s');
    await expect(editor.root).toHaveAttribute('data-versions', String(versionsBefore + 1));

    // The learning page uses the window's width.
    await page.getByRole('button', { name: 'Learning', exact: true }).first().click();
    const learning = page.getByTestId('learning-panel');
    await expect(learning).toHaveAttribute('data-loaded', 'true');
    const learningBox = (await learning.boundingBox())!;
    expect(learningBox.width).toBeGreaterThan(size.width * 0.95);
    const sections = await learning
      .locator('.learning-grid > *')
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().right));
    expect(Math.max(...sections)).toBeGreaterThan(size.width * 0.85); // the grid spans the page
    await shot('learning');
    expect.soft(await layoutProblems(page, CONTAINERS)).toEqual([]);
  });
}
