/**
 * The AI overlay end to end, on a server with a tiny untrained model: analysis starts when a
 * study opens, the heatmap is drawn over both views inside the image, the threshold slider
 * changes the outlined area, the `A` key hides and shows everything, the findings list centres a
 * view, and the worklist shows the result. The tests share the server and run in order.
 */
import { expect, test, TINY_MODEL_ID } from './fixtures.js';
import type { Box } from '../../renderer/common/debugProbeTypes.js';
import type { AiPage } from './pages/AiPage.js';

const VIEWS = ['RMLO', 'LMLO'] as const;

test.describe.configure({ mode: 'serial' });

/** True when `inner` lies within `outer`, give or take a pixel of antialiasing. */
function inside(inner: Box, outer: Box, slack = 1.5): boolean {
  return (
    inner.left >= outer.left - slack &&
    inner.top >= outer.top - slack &&
    inner.right <= outer.right + slack &&
    inner.bottom <= outer.bottom + slack
  );
}

/** The side of the tiny card's operating point (0.5) a shown two-decimal score is on; null at 0.50 (either). */
function sideOf(shown: number): 'above' | 'below' | null {
  return shown === 0.5 ? null : shown > 0.5 ? 'above' : 'below';
}

/** Slider positions (0.01 steps) spanning the levels the map really has, from below its lowest to above its highest. */
async function thresholdsAcrossMap(ai: AiPage, label: string): Promise<number[]> {
  const { levels } = await ai.info(label);
  if (!levels || !levels.max) throw new Error(`${label}: the map is empty`);
  const step = (value: number): number => Math.min(0.99, Math.max(0.01, Math.round(value * 100) / 100));
  const low = step(Math.floor((levels.minNonZero / 255) * 100) / 100);
  const high = step(Math.ceil(((levels.max + 1) / 255) * 100) / 100);
  const middle = step((low + high) / 2);
  return [...new Set([low, middle, high, step(high + 0.05)])].sort((a, b) => a - b);
}

test('opening a study analyses it and draws the overlay on both views, inside the image', async ({
  aiServer,
  worklist,
  viewer,
  ai,
  page,
  shot,
}) => {
  await worklist.goto(aiServer);
  await worklist.open('MIAS-001');
  for (const view of VIEWS) await viewer.expectRendered(view);
  for (const view of VIEWS) await ai.expectDrawn(view);
  await expect(ai.model).toHaveText(TINY_MODEL_ID);
  await expect(ai.backend).toHaveText(/^(wasm|cpu|webgl|tensorflow)/);
  await expect(ai.caseScore).toHaveText(/^[01]\.\d\d$/);
  await expect(ai.status).toHaveAttribute('data-ai-study-state', 'ready');
  // Beside the case score, the card's operating point (the tiny model's card: image 0.5) and the
  // side the score falls on, worked out here from the shown score (either side when it rounds to 0.50).
  const studyScore = Number(await ai.caseScore.textContent());
  const side = studyScore === 0.5 ? '(above|below)' : studyScore > 0.5 ? 'above' : 'below';
  await expect(page.getByTestId('ai-operating-point')).toHaveText(
    new RegExp(`^${side} operating point 0\\.50$`),
  );
  // Each image's score likewise, in the panel and on its view's badge (shown to two decimals:
  // a score that rounds to 0.50 may fall on either side).
  const imageRows = page.getByTestId('ai-image-score');
  await expect(imageRows).toHaveCount(2);
  for (const row of await imageRows.all()) {
    const text = (await row.locator('td').textContent())!;
    const match = /^([01]\.\d\d) (above|below)$/.exec(text);
    expect(match, text).not.toBeNull();
    const expected = sideOf(Number(match![1]));
    if (expected) expect(match![2]).toBe(expected);
    await expect(row).toHaveAttribute('data-side', match![2]!);
  }
  for (const view of VIEWS) {
    const badge = ai.overlay(view).getByTestId('ai-badge');
    const text = (await badge.textContent())!;
    const match = /^AI ([01]\.\d\d) (above|below) OP · \d+ findings?$/.exec(text);
    expect(match, text).not.toBeNull();
    const expected = sideOf(Number(match![1]));
    if (expected) expect(match![2]).toBe(expected);
  }

  // The heatmap alone (O: outline and marks off) must lie within the image.
  await viewer.press('o');
  await expect(page.getByRole('checkbox', { name: 'Outline' })).not.toBeChecked();
  for (const view of VIEWS) {
    let stats = await ai.overlayStats(view);
    await expect
      .poll(async () => {
        stats = await ai.overlayStats(view);
        return stats.litFraction;
      })
      .toBeGreaterThan(0.02);
    expect(stats.drawnBox && stats.imageBox && inside(stats.drawnBox, stats.imageBox)).toBe(true);
    await viewer.viewport(view).screenshot({ path: test.info().outputPath(`ai-${view}.png`) });
  }

  // Zooming in moves and grows the heatmap with the image, and it stays within it.
  const width = (box: Box | null): number => (box ? box.right - box.left : 0);
  const before = await ai.overlayStats('RMLO');
  await viewer.viewport('RMLO').click();
  await viewer.press('+');
  await expect.poll(async () => (await viewer.state('RMLO')).zoom).toBeGreaterThan(1.2);
  await expect
    .poll(async () => {
      const stats = await ai.overlayStats('RMLO');
      return (
        !!stats.drawnBox &&
        !!stats.imageBox &&
        inside(stats.drawnBox, stats.imageBox) &&
        width(stats.drawnBox) > width(before.drawnBox) * 1.15
      );
    })
    .toBe(true);
  await viewer.press('r');
  await viewer.press('o');
  await expect(page.getByRole('checkbox', { name: 'Outline' })).toBeChecked();
  await shot('ai-overlay');
  await page.getByTestId('ai-panel').screenshot({ path: test.info().outputPath('ai-panel.png') });
});

test('the threshold slider changes the outlined area; the A key hides and shows all AI', async ({
  aiServer,
  worklist,
  viewer,
  ai,
  shot,
}) => {
  await worklist.goto(aiServer);
  await worklist.open('MIAS-001');
  for (const view of VIEWS) await ai.expectDrawn(view);

  const thresholds = await thresholdsAcrossMap(ai, 'RMLO');
  const areas: Record<string, number[]> = { RMLO: [], LMLO: [] };
  for (const threshold of thresholds) {
    await ai.setThreshold(threshold, VIEWS);
    for (const view of VIEWS) areas[view]!.push(await ai.outlinePixels(view));
    await shot(`threshold-${threshold.toFixed(2)}`);
  }
  for (const view of VIEWS) {
    const list = areas[view]!;
    // A lower threshold never outlines less, and the map's range gives at least one real change.
    for (let i = 1; i < list.length; i++) expect(list[i]).toBeLessThanOrEqual(list[i - 1]!);
    expect(list[0]).toBeGreaterThan(list.at(-1)!);
  }
  // The outlined area is the map's own: pixels at or above the threshold.
  const info = await ai.info('RMLO');
  const expected = (info.histogram ?? [])
    .filter(([level]) => level >= info.level)
    .reduce((n, [, c]) => n + c, 0);
  expect(info.outlinePixels).toBe(expected);

  await ai.setThreshold(thresholds[0]!, VIEWS);
  const before = Number(await ai.overlay('RMLO').getAttribute('data-ai-draws'));
  await viewer.press('a');
  for (const view of VIEWS) {
    await expect(ai.overlay(view)).toHaveAttribute('data-ai-visible', 'false');
    await expect(ai.overlay(view).locator('canvas')).toBeHidden();
  }
  await expect(ai.caseScore).toBeHidden();
  await shot('ai-hidden');
  await viewer.press('a');
  for (const view of VIEWS) await expect(ai.overlay(view)).toHaveAttribute('data-ai-visible', 'true');
  await expect(ai.overlay('RMLO')).not.toHaveAttribute('data-ai-draws', String(before));
  await expect.poll(async () => (await ai.overlayStats('RMLO')).litFraction).toBeGreaterThan(0.02);
  await shot('ai-shown-again');
});

test('a finding in the list centres its view; the worklist shows the case score', async ({
  aiServer,
  worklist,
  viewer,
  ai,
  page,
  shot,
}) => {
  await worklist.goto(aiServer);
  await worklist.open('MIAS-001');
  for (const view of VIEWS) await ai.expectDrawn(view);
  const [low] = await thresholdsAcrossMap(ai, 'RMLO');
  await ai.setThreshold(low!, VIEWS);
  await expect(ai.findings.first()).toBeVisible();
  // The tiny model's card has no validation metrics, and the panel says so.
  await expect(page.getByTestId('ai-unvalidated')).toContainText('no validation metrics');
  // The marks are the API's findings, at most the setting's 4 per image (labels are placed
  // clear of each other and the corner text: test/renderer/labelPlacement.test.ts).
  const rmloInfo = await ai.info('RMLO');
  expect(rmloInfo.marks.length).toBe(Math.min(4, rmloInfo.findings));
  await page.getByTestId('ai-marks-per-image').fill('1');
  await expect.poll(async () => (await ai.info('RMLO')).marks.length).toBe(Math.min(1, rmloInfo.findings));
  await viewer.viewport('RMLO').screenshot({ path: test.info().outputPath('marks-capped.png') });
  await page.getByTestId('ai-marks-per-image').fill('4');

  const finding = ai.findings.filter({ hasText: 'RMLO' }).first();
  const before = await viewer.state('RMLO');
  await finding.click();
  await expect(finding).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await viewer.state('RMLO')).zoom).toBeGreaterThan(before.zoom * 1.2);
  const after = await viewer.state('RMLO');
  expect(after.pan).not.toEqual(before.pan);
  await viewer.viewport('RMLO').screenshot({ path: test.info().outputPath('finding-centred.png') });

  await viewer.backToWorklist();
  // The case score with its side of the card's operating point (image 0.5), this session's and
  // the stored one after a reload (a new session: the server's row, by the model that analysed it).
  const live = worklist.row('MIAS-001').locator('[data-ai-status="ready"]');
  await expect(live).toHaveText(/^done [01]\.\d\d · (above|below) 0\.50$/);
  const caseScore = Number((await live.textContent())!.slice(5, 9));
  const liveSide = await live.getAttribute('data-ai-side');
  const expectedSide = sideOf(caseScore);
  if (expectedSide) expect(liveSide).toBe(expectedSide);
  await shot('worklist-ai-column');
  await page.reload();
  const stored = worklist.row('MIAS-001').locator('[data-ai-status="stored"]');
  await expect(stored).toHaveText(
    new RegExp(`^done ${caseScore.toFixed(2).replace('.', '\\.')} · (above|below) 0\\.50$`),
  );
  await expect(stored).toHaveAttribute('data-ai-side', liveSide!);
});
