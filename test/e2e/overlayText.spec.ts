/**
 * At laptop sizes the viewport's corner texts (view label, window / zoom readout) stand clear of
 * the image: measured from their laid-out boxes against where Cornerstone placed the image.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Box } from '../../renderer/common/debugProbeTypes.js';
import { expect, test } from './fixtures.js';
import { ReportPage } from './pages/ReportPage.js';
import { REPO_ROOT } from './support/WorkstationServer.js';

/** The DOM this file uses (it is type-checked without the DOM library). */
interface Node {
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Box;
  querySelectorAll(selector: string): Iterable<Node>;
}

/** Each corner text of each viewport that covers part of its image, with how much. */
async function textsOverImages(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document, __mammoDebug } = globalThis as unknown as {
      document: { querySelectorAll(s: string): Iterable<Node> };
      __mammoDebug: { imageBox(id: string): Box | null };
    };
    const found: string[] = [];
    for (const cell of document.querySelectorAll('[data-testid="viewport"][data-rendered="true"]')) {
      const image = __mammoDebug.imageBox(cell.getAttribute('data-viewport-id') ?? '');
      if (!image) continue;
      const cellBox = cell.getBoundingClientRect();
      // The image as seen: inside its cell.
      const seen = {
        left: Math.max(image.left, cellBox.left),
        top: Math.max(image.top, cellBox.top),
        right: Math.min(image.right, cellBox.right),
        bottom: Math.min(image.bottom, cellBox.bottom),
      };
      for (const text of cell.querySelectorAll('.viewport-label, .viewport-readout')) {
        const box = text.getBoundingClientRect();
        const width = Math.min(box.right, seen.right) - Math.max(box.left, seen.left);
        const height = Math.min(box.bottom, seen.bottom) - Math.max(box.top, seen.top);
        if (width > 0.5 && height > 0.5)
          found.push(
            `${cell.getAttribute('data-key')}: "${text.textContent}" covers ${width.toFixed(0)}x${height.toFixed(0)} px of the image`,
          );
      }
    }
    return found;
  });
}

test('at 1366x768 the corner texts do not run over the image', async ({
  server,
  inputs,
  worklist,
  viewer,
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await server.api('importFiles', { paths: [join(REPO_ROOT, 'test/fixtures/mias')], format: 'mias' });
  await server.api('importFiles', { paths: [inputs.dicomFolder], format: 'dicom' });
  await worklist.goto(server);
  for (const [patient, views] of [
    ['SYN-001', ['RCC', 'LCC']],
    ['MIAS-001', ['RMLO', 'LMLO']],
  ] as const) {
    await worklist.open(patient);
    for (const view of views) await viewer.expectRendered(view);
    expect(await textsOverImages(page), `${patient}, viewer alone`).toEqual([]);
    // The report panel narrows the cells.
    await new ReportPage(page).openWithKey();
    for (const view of views) await viewer.expectRendered(view);
    await page.screenshot({ path: test.info().outputPath(`${patient}-1366-report.png`) });
    expect(await textsOverImages(page), `${patient}, with the report panel`).toEqual([]);
    await page.goBack();
    await expect(worklist.root).toBeVisible();
  }
});
