/**
 * Many workstation tabs in one browser: Chromium opens at most six HTTP/1.1 connections to a host
 * per profile, so when each tab held an event stream of its own the seventh tab never loaded. One
 * tab holds the stream and relays it to the others; when that tab closes another takes it over.
 * The tabs' requests to /api/events, as the browser made them, say which tab holds it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { WorklistPage } from './pages/WorklistPage.js';
import { writeSyntheticMammogram } from './support/syntheticDicom.js';
import { WorkstationServer } from './support/WorkstationServer.js';
import { expect, test } from './fixtures.js';

/** More than the six connections Chromium allows a host. */
const TABS = 8;

/** A one-image study of its own patient, in a folder of its own. */
function writeStudy(parent: string, patientId: string, instance: number): string {
  const folder = join(parent, patientId);
  mkdirSync(folder);
  writeSyntheticMammogram(folder, {
    laterality: 'R',
    view: 'CC',
    tissueAt: 'left',
    photometric: 'MONOCHROME2',
    instance,
    patientId,
    studyUid: `2.25.90210${instance}`,
  });
  return folder;
}

test('eight tabs of one browser all load and share one event stream, handed over when its tab closes', async ({
  context,
}) => {
  // A server of its own: the imports below must not reach the other specs' worklists.
  const server = await WorkstationServer.start();
  const inputs = mkdtempSync(join(tmpdir(), 'mammo-e2e-shared-stream-'));
  try {
    // A stalled load fails here instead of at the test's timeout (the old code's seventh tab).
    context.setDefaultNavigationTimeout(20_000);
    const tabs: WorklistPage[] = [];
    /** For each tab, how many event streams the server accepted from it. */
    const streamsOpened: number[] = [];
    for (let i = 0; i < TABS; i++) {
      const page: Page = await context.newPage();
      streamsOpened.push(0);
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/api/events' && response.status() === 200)
          streamsOpened[i]!++;
      });
      const tab = new WorklistPage(page);
      await tab.goto(server);
      tabs.push(tab);
    }

    // Exactly one tab holds the stream.
    await expect.poll(() => streamsOpened.reduce((sum, n) => sum + n, 0)).toBe(1);
    const leader = streamsOpened.findIndex((n) => n === 1);

    await server.api('importFiles', { paths: [writeStudy(inputs, 'SHARED-1', 41)], format: 'dicom' });
    for (const tab of tabs) await expect(tab.row('SHARED-1')).toBeVisible();
    expect(streamsOpened.reduce((sum, n) => sum + n, 0)).toBe(1);

    await tabs[leader]!.page.close();
    const rest = tabs.filter((_, i) => i !== leader);
    // Another tab takes the stream over (and only one).
    await expect
      .poll(() => streamsOpened.filter((n, i) => i !== leader && n > 0).length, { timeout: 20_000 })
      .toBe(1);
    expect(streamsOpened.filter((n, i) => i !== leader).reduce((sum, n) => sum + n, 0)).toBe(1);

    await server.api('importFiles', { paths: [writeStudy(inputs, 'SHARED-2', 42)], format: 'dicom' });
    for (const tab of rest) await expect(tab.row('SHARED-2')).toBeVisible();
  } finally {
    await server.stop();
    rmSync(inputs, { recursive: true, force: true });
  }
});
