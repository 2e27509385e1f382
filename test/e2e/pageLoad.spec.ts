/**
 * Page load: nothing the page asks for is missing (no 404 in the console), and a URL hash set in
 * the first moments after load (before the app listens for hash changes) is followed, not
 * overwritten by the worklist's `#/`.
 */
import { join } from 'node:path';
import type { ConsoleMessage } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { REPO_ROOT } from './support/WorkstationServer.js';

test('a page load asks for nothing that is missing', async ({ server, worklist, viewer, page }) => {
  const errors: string[] = [];
  const failed: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await server.api('importFiles', { paths: [join(REPO_ROOT, 'test/fixtures/mias')], format: 'mias' });
  await worklist.goto(server);
  await expect(worklist.row('MIAS-001')).toBeVisible();
  await worklist.open('MIAS-001');
  await viewer.expectRendered('RMLO');
  // A reload of a study's URL is a page load too.
  await page.reload();
  await viewer.expectRendered('RMLO');
  // The browser asks for its icon by itself, after the page: give it the time to.
  await page.waitForLoadState('networkidle');
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});

test('a hash set just after the first render is followed, not replaced by #/', async ({
  server,
  worklist,
  viewer,
  page,
}) => {
  await server.api('importFiles', { paths: [join(REPO_ROOT, 'test/fixtures/mias')], format: 'mias' });
  const studies = (await server.api('listStudies', {})) as { id: number; patientId: string }[];
  const study = studies.find((s) => s.patientId === 'MIAS-001')!;
  // Right after React's first commit puts the app into #root, before its effects run: the moment
  // the hashchange listener does not exist yet.
  // (A script string: this file is type-checked without the DOM library.)
  await page.addInitScript({
    content: `
      const observer = new MutationObserver(() => {
        if (!document.querySelector('.app')) return;
        observer.disconnect();
        window.location.hash = ${JSON.stringify(`#/study/${study.id}`)};
      });
      observer.observe(document, { childList: true, subtree: true });`,
  });
  await worklist.page
    .context()
    .addCookies([{ ...server.sessionCookie, url: server.origin, httpOnly: true, sameSite: 'Strict' }]);
  await page.goto(`${server.origin}/`);
  await viewer.expectRendered('RMLO');
  await expect(viewer.root).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/study/${study.id}$`));
  // Back leaves the study for the worklist the page loaded with.
  await page.goBack();
  await expect(worklist.root).toBeVisible();
});
