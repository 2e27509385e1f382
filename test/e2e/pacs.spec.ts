/**
 * The PACS tab against a real Orthanc on loopback: search, retrieve with the progress bar, open,
 * and the report sent back from the report panel.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrthancServer } from '../helpers/orthanc.js';
import { expect, test } from './fixtures.js';
import { WorkstationServer } from './support/WorkstationServer.js';
import { PacsPage } from './pages/PacsPage.js';
import { ReportPage } from './pages/ReportPage.js';
import { ViewerPage } from './pages/ViewerPage.js';
import { writeSyntheticMammogram } from './support/syntheticDicom.js';

const STUDY_UID = '2.25.4142135623730950488016887242096980';

test('PACS tab: search Orthanc, retrieve a study with its progress bar, open it', async ({
  page,
  worklist,
  shot,
}) => {
  // A server of its own: the worker's shared one serves other specs whose worklist counts this
  // retrieved study would change.
  const server = await WorkstationServer.start();
  const orthanc = await OrthancServer.start();
  const folder = mkdtempSync(join(tmpdir(), 'mammo-e2e-pacs-'));
  try {
    writeSyntheticMammogram(folder, {
      laterality: 'R',
      view: 'CC',
      tissueAt: 'left',
      photometric: 'MONOCHROME2',
      instance: 41,
      patientId: 'PACS-E2E',
      studyUid: STUDY_UID,
    });
    writeSyntheticMammogram(folder, {
      laterality: 'L',
      view: 'CC',
      tissueAt: 'right',
      photometric: 'MONOCHROME2',
      instance: 42,
      patientId: 'PACS-E2E',
      studyUid: STUDY_UID,
    });
    for (const name of readdirSync(folder)) await orthanc.store(readFileSync(join(folder, name)));
    await server.api('savePacsNode', { name: 'orthanc-e2e', url: orthanc.dicomWebUrl, auth: 'none' });

    await worklist.goto(server);
    const pacs = new PacsPage(page);
    await pacs.open();
    await pacs.search({ node: 'orthanc-e2e', patientId: 'PACS-E2E' });
    const row = pacs.study(STUDY_UID);
    await expect(row).toContainText('PACS-E2E');
    // Searched as breast imaging by default; the name and date formatted, the description there
    // (Orthanc answers includefield sent as repeated parameters).
    await expect(pacs.panel.getByLabel('Modality')).toHaveValue('breast');
    await expect(row).toContainText('SYNTHETIC, PATIENT');
    await expect(row).toContainText('2025-01-02');
    await expect(row).toContainText('Synthetic screening');
    await expect(row).not.toContainText('SYNTHETIC^PATIENT');
    await shot('pacs-search');

    await row.getByTestId('pacs-retrieve').click();
    const progress = row.getByTestId('pacs-retrieve-progress');
    await expect(progress).toHaveAttribute('data-done', '2');
    await expect(progress).toHaveAttribute('data-total', '2');
    await expect(row.getByTestId('pacs-retrieve-result')).toContainText('2 imported, 0 already here');
    await shot('pacs-retrieved');

    await row.getByTestId('pacs-open').click();
    const viewer = new ViewerPage(page);
    await expect(viewer.root).toBeVisible();
    await viewer.expectRendered('RCC');
    await viewer.expectRendered('LCC');
    await shot('pacs-opened');

    // The report goes back to the PACS as an Encapsulated PDF, from the report panel.
    const report = new ReportPage(page);
    await report.openWithKey();
    await page.getByTestId('pacs-send').getByLabel('PACS node').selectOption('orthanc-e2e');
    await page.getByTestId('pacs-send-pdf').click();
    await expect(page.getByTestId('pacs-push').first()).toHaveAttribute('data-state', 'sent');
    const stored = (await (
      await orthanc.rest('/tools/find', {
        method: 'POST',
        body: JSON.stringify({ Level: 'Instance', Query: { StudyInstanceUID: STUDY_UID, Modality: 'DOC' } }),
      })
    ).json()) as string[];
    expect(stored).toHaveLength(1);
    await report.root.screenshot({ path: test.info().outputPath('pacs-sent.png') });
  } finally {
    await orthanc.stop();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
});
