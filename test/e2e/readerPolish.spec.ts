/**
 * What a reader relies on, on a server with a tiny untrained model (card: operating point 0.5,
 * finding threshold 0.2, no `detects`): the AI display starts at the operating point and the
 * heatmap shows nothing under it until the reader lowers the threshold; the AI panel says the model
 * detects masses only; About credits the training data as its licence requires.
 */
import { expect, test } from './fixtures.js';

test.describe.configure({ mode: 'serial' });

test('the heatmap starts at the operating point and shows more when the reader lowers the threshold', async ({
  aiServer,
  worklist,
  viewer,
  ai,
  page,
}) => {
  await worklist.goto(aiServer);
  await worklist.open('MIAS-001');
  await viewer.expectRendered('RMLO');
  await ai.expectDrawn('RMLO');
  // The card's operating point (image threshold 0.5), not its finding threshold (0.2).
  await expect(ai.overlay('RMLO')).toHaveAttribute('data-ai-threshold', '0.50');
  await expect(ai.threshold).toHaveValue('0.5');
  // The heatmap alone: the outline and marks off.
  await page.getByRole('checkbox', { name: 'Outline' }).uncheck();
  const lit = async (): Promise<number> => {
    const draws = await ai.overlay('RMLO').getAttribute('data-ai-draws');
    await expect(ai.overlay('RMLO')).toHaveAttribute('data-ai-draws', draws!);
    return (await ai.overlayStats('RMLO')).litFraction;
  };
  const info = await ai.info('RMLO');
  const histogram = info.histogram ?? [];
  const area = (fromLevel: number): number =>
    histogram.filter(([level]) => level >= fromLevel).reduce((n, [, count]) => n + count, 0);
  const atOperatingPoint = await lit();
  await ai.setThreshold(0.01, ['RMLO']);
  const lowered = await lit();
  // The map's own pixels decide: what the drawn heatmap covers grows as the map's area above the
  // threshold does (the heatmap's fixed 0.05 floor still applies when lowered).
  const mapAbove = area(info.level);
  const mapLowered = area(Math.round(0.05 * 255));
  expect(mapLowered).toBeGreaterThan(mapAbove * 1.1); // the tiny model's map does spread below 0.5
  expect(lowered).toBeGreaterThan(atOperatingPoint * 1.1);
  expect(atOperatingPoint / lowered).toBeCloseTo(mapAbove / mapLowered, 1);
  await page.getByRole('checkbox', { name: 'Outline' }).check();
});

test('the AI panel says the model detects masses only', async ({ aiServer, worklist, ai, page }) => {
  await worklist.goto(aiServer);
  await worklist.open('MIAS-001');
  await expect(ai.model).toBeVisible();
  await expect(page.getByTestId('ai-detects')).toHaveText(
    'Detects masses only. Calcifications, architectural distortions and asymmetries are not looked for: the absence of an AI mark says nothing about them.',
  );
});

test('About credits CBIS-DDSM under CC BY 3.0 with its citations', async ({ server, worklist, page }) => {
  await worklist.goto(server);
  await page.getByTestId('about-open').click();
  const about = page.getByTestId('about');
  await expect(about).toBeVisible();
  await expect(about).toContainText('CBIS-DDSM');
  await expect(about.getByRole('link', { name: 'CC BY 3.0' })).toHaveAttribute(
    'href',
    'https://creativecommons.org/licenses/by/3.0/',
  );
  for (const citation of [
    'doi:10.7937/K9/TCIA.2016.7O02S9CY',
    'Scientific Data 4, 170177 (2017)',
    'The Digital Database for Screening Mammography',
  ])
    await expect(about).toContainText(citation);
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toBeHidden();
});
