/**
 * The report and its exports from the UI (issue 7), on a server with a tiny model and the
 * mini-MIAS fixtures: the `B` key opens the report beside the images, a draft is pre-filled with
 * the reader's finding and saves itself, finalising makes it read-only, an amendment is a new
 * version, and the PDF and JSON exports land in the workspace where the panel says they did.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import type { StudyDetail, StudySummary } from '../../main/api/domain.js';
import type { Report } from '../../main/api/reports.js';
import { expect, test } from './fixtures.js';
import { ReportPage } from './pages/ReportPage.js';

test.describe.configure({ mode: 'serial' });

const panelShot = async (report: ReportPage, name: string): Promise<void> => {
  await report.root.screenshot({ path: test.info().outputPath(`report-${name}.png`) });
};

test('a report is filled, saved, finalised read-only, exported as PDF and JSON, and amended', async ({
  aiServer,
  worklist,
  viewer,
  ai,
  page,
  shot,
}) => {
  // A finding the reader added (and its mask) on MIAS-001's right image: the report pre-fills it.
  const studies = (await aiServer.api('listStudies', {})) as StudySummary[];
  const study = studies.find((s) => s.patientId === 'MIAS-001');
  if (!study) throw new Error('MIAS-001 not imported');
  const detail = (await aiServer.api('getStudy', { studyId: study.id })) as StudyDetail;
  const image = detail.images.find((i) => i.laterality === 'R');
  if (!image) throw new Error('MIAS-001 has no right image');
  const mask = new Uint8Array(image.rows * image.columns);
  for (let r = 580; r < 620; r++) for (let c = 515; c < 555; c++) mask[r * image.columns + c] = 255;
  await aiServer.api('saveAnnotation', {
    imageId: image.id,
    maskPng: Buffer.from(
      encode({ width: image.columns, height: image.rows, data: mask, channels: 1, depth: 8 }),
    ).toString('base64'),
    author: 'Dr E2E',
    findings: { decisions: [], added: [{ type: 'mass', centroidRow: 600, centroidColumn: 535 }] },
  });

  await worklist.goto(aiServer);
  await worklist.open('MIAS-001');
  for (const view of ['RMLO', 'LMLO']) await viewer.expectRendered(view);
  await expect(ai.status).toHaveAttribute('data-ai-study-state', 'ready');

  const report = new ReportPage(page);
  await report.openWithKey();
  await report.expectStatus('none');
  await shot('report-opened');

  await report.startReader.fill('Dr E2E');
  await report.startButton.click();
  await report.expectStatus('draft');
  await expect(report.findings).toHaveCount(1);
  await expect(report.findings.first()).toHaveAttribute('data-source', 'reader');
  await expect(report.findings.first()).toContainText('mass');
  await panelShot(report, 'draft-prefilled');

  await report.biRads.selectOption('4B');
  await report.density.selectOption('c');
  await report.impression.fill('Irregular mass in the right breast; biopsy recommended.');
  await report.reader.fill('Dr E2E Reader');
  await expect(report.root).toBeVisible();
  await report.expectSaved();
  await expect
    .poll(async () => ((await aiServer.api('listReports', { studyId: study.id })) as Report[])[0])
    .toMatchObject({
      status: 'draft',
      biRads: '4B',
      density: 'c',
      reader: 'Dr E2E Reader',
      impression: 'Irregular mass in the right breast; biopsy recommended.',
    });
  await panelShot(report, 'draft-filled');

  await report.finalizeButton.click();
  await report.expectStatus('final');
  await expect(report.form).toHaveAttribute('disabled', '');
  await expect(report.findings.first().getByRole('textbox')).toBeDisabled();
  for (const control of [report.biRads, report.density, report.impression, report.reader])
    await expect(control).toBeDisabled();
  await expect(report.finalizeButton).toHaveCount(0);
  await expect(report.amendButton).toBeVisible();
  await panelShot(report, 'final-read-only');

  // The worklist (a second tab, a fresh session) shows the final report and the stored analysis.
  const worklistTab = await page.context().newPage();
  await worklistTab.goto(aiServer.origin);
  const row = worklistTab.locator('[data-testid="study-row"][data-patient-id="MIAS-001"]');
  await expect(row.locator('td.review')).toHaveText('final');
  // The stored case score with its side of the tiny model card's operating point (image 0.5).
  const stored = row.locator('[data-ai-status="stored"]');
  await expect(stored).toHaveText(/^done [01]\.\d\d · (above|below) 0\.50$/);
  const storedScore = Number((await stored.textContent())!.slice(5, 9));
  if (storedScore !== 0.5)
    await expect(stored).toHaveAttribute('data-ai-side', storedScore > 0.5 ? 'above' : 'below');
  await worklistTab.screenshot({ path: test.info().outputPath('worklist-final-and-analysed.png') });
  await worklistTab.close();

  // The exports go to the workspace, under a new name each, and the panel names the files.
  const exportsDir = join(aiServer.workspace, 'exports', `study-${study.id}`);
  const [pdf, ...morePdf] = await report.exportFiles('pdf');
  expect(morePdf).toEqual([]);
  expect(pdf).toMatch(/report-\d{8}T\d{6}Z(-\d+)?\.pdf$/);
  expect(pdf?.startsWith(exportsDir)).toBe(true);
  expect(readFileSync(pdf!).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  const [json] = await report.exportFiles('json');
  expect(json?.startsWith(exportsDir) && json.endsWith('.json')).toBe(true);
  const content = JSON.parse(readFileSync(json!, 'utf8')) as {
    reader: string;
    assessment: { biRads: string; density: string };
    report: { status: string; version: number } | null;
    findings: { source: string; type: string }[];
  };
  expect(content.assessment).toMatchObject({ biRads: '4B', density: 'c' });
  expect(content.reader).toBe('Dr E2E Reader');
  expect(content.report).toMatchObject({ status: 'final', version: 1 });
  expect(content.findings).toMatchObject([{ source: 'reader', type: 'mass' }]);
  await panelShot(report, 'exported');

  // The DICOM and training exports start from the same panel and land beside them.
  for (const kind of ['seg', 'fractional-seg', 'sr', 'training']) {
    const files = await report.exportFiles(kind);
    expect(files.length, kind).toBeGreaterThan(0);
    for (const file of files) {
      expect(file.startsWith(exportsDir), file).toBe(true);
      if (file.endsWith('.dcm'))
        expect(readFileSync(file).subarray(128, 132).toString('latin1')).toBe('DICM');
      else expect(existsSync(file), file).toBe(true);
    }
  }
  await panelShot(report, 'exported-all');

  // A failed export is shown in the panel, and the panel keeps working.
  await page.route('**/api/exportStudy', (route) =>
    route.fulfill({ status: 500, json: { error: '/nowhere/report.pdf: disk full' } }),
  );
  await report.exportButton('pdf').click();
  await expect(report.exportResult('pdf')).toHaveAttribute('data-state', 'error');
  await expect(report.exportResult('pdf')).toContainText('disk full');
  await page.unroute('**/api/exportStudy');
  await expect(report.exportButton('json')).toBeEnabled();
  await panelShot(report, 'export-error');
  const [again] = await report.exportFiles('pdf');
  expect(again !== pdf && existsSync(again!) && existsSync(pdf!)).toBe(true);

  // An amendment is a new, editable version; the final one stays on record.
  await report.amendButton.click();
  await report.amendReason.fill('Density corrected');
  await report.amendStart.click();
  await report.expectStatus('draft');
  await expect(report.version).toContainText('version 2');
  await expect(report.biRads).toBeEnabled();
  await expect(report.biRads).toHaveValue('4B');
  await report.density.selectOption('d');
  await report.expectSaved();
  await panelShot(report, 'amendment-draft');
  const versions = (await aiServer.api('listReports', { studyId: study.id })) as Report[];
  expect(versions.map((r) => [r.version, r.status, r.density])).toEqual([
    [2, 'draft', 'd'],
    [1, 'final', 'c'],
  ]);

  // Escape in the panel closes it, not the study.
  await report.impression.press('Escape');
  await expect(report.root).toHaveCount(0);
  await expect(viewer.root).toBeVisible();
  await shot('report-closed');
});
