/**
 * Two readers on one image, each in their own browser: A's save leaves B's draft alone, B's save
 * from the older version is refused as a conflict (HTTP 409) with B's strokes still on screen, and
 * B reapplies them on top of A's version and saves both readers' work.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import type { EditorMask } from '../../renderer/common/debugProbeTypes.js';
import { EditorPage } from './pages/EditorPage.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { countOn, maskBits } from './support/maskBits.js';
import { WorkstationServer } from './support/WorkstationServer.js';

/** Pixels of `part` that `whole` lacks. */
const missing = (whole: Uint8Array, part: Uint8Array) =>
  part.reduce((n, v, i) => n + (v && !whole[i] ? 1 : 0), 0);

test("B's draft survives A's save; B's losing save answers 409 and B's strokes are reapplied", async ({
  browser,
  inputs,
}) => {
  test.setTimeout(150_000);
  // A workspace of its own: the version numbers below count only these two readers' saves.
  const server = await WorkstationServer.start();
  await server.api('importFiles', { paths: [inputs.dicomFolder], format: 'dicom' });
  const open = async (reader: string): Promise<{ page: Page; editor: EditorPage }> => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const worklist = new WorklistPage(page);
    await worklist.goto(server);
    await worklist.open('SYN-001');
    const editor = new EditorPage(page);
    await editor.openFromViewer();
    await editor.setReader(reader);
    await editor.chooseTool('Brush');
    await editor.setBrushMm(4);
    return { page, editor };
  };
  const a = await open('Dr A');
  const b = await open('Dr B');

  // B paints and the draft is autosaved; A paints elsewhere and saves version 1.
  await b.editor.stroke([0.3, 0.3], [0.45, 0.35]);
  await b.editor.expectDraftSaved();
  const bDrawn: EditorMask = await b.editor.mask();
  const bStrokes = maskBits(bDrawn.maskPng, bDrawn.columns, bDrawn.rows);
  expect(countOn(bStrokes)).toBeGreaterThan(0);
  await a.editor.stroke([0.3, 0.7], [0.45, 0.75]);
  await a.editor.save();
  const aDrawn = await a.editor.mask();
  const aStrokes = maskBits(aDrawn.maskPng, aDrawn.columns, aDrawn.rows);
  expect(missing(aStrokes, bStrokes)).toBeGreaterThan(0); // two different corrections

  // A's save left B's draft as B made it.
  const imageId = bDrawn.imageId;
  const draft = (await server.api('getDraft', { imageId, reader: 'Dr B' })) as { maskPng: string } | null;
  expect(draft).not.toBeNull();
  expect(
    Buffer.from(maskBits(draft!.maskPng, bDrawn.columns, bDrawn.rows)).equals(Buffer.from(bStrokes)),
  ).toBe(true);

  // B saves from the version B opened: refused as a conflict, strokes still there.
  const refused = b.page.waitForResponse((r) => r.url().endsWith('/api/saveAnnotation'));
  await b.page.getByRole('button', { name: 'Save correction' }).click();
  expect((await refused).status()).toBe(409);
  await expect(b.page.getByTestId('save-conflict')).toContainText(
    'Version 1 by Dr A was saved while you edited',
  );
  await expect(b.page.getByRole('alert').first()).toBeVisible();
  await b.editor.expectPainted(countOn(bStrokes));
  expect((await b.editor.mask()).maskPng).toBe(bDrawn.maskPng);

  // B reapplies the strokes on top of A's version: both readers' pixels, then saves version 2.
  await b.page.getByRole('button', { name: 'Reapply my strokes on top of version 1' }).click();
  await expect(b.page.getByTestId('save-conflict')).toHaveCount(0);
  await expect(b.editor.message).toContainText('reapplied on top of version 1 by Dr A');
  const merged = await b.editor.mask();
  const mergedInside = maskBits(merged.maskPng, merged.columns, merged.rows);
  expect(missing(mergedInside, aStrokes)).toBe(0);
  expect(missing(mergedInside, bStrokes)).toBe(0);
  await b.editor.save();
  const versions = (await server.api('listAnnotations', { imageId })) as {
    id: number;
    version: number;
    author: string;
  }[];
  expect(versions.map((v) => [v.version, v.author])).toEqual([
    [2, 'Dr B'],
    [1, 'Dr A'],
  ]);
  const saved = (await server.api('getAnnotationMask', { annotationId: versions[0]!.id })) as {
    maskPng: string;
  };
  expect(
    Buffer.from(maskBits(saved.maskPng, merged.columns, merged.rows)).equals(Buffer.from(mergedInside)),
  ).toBe(true);
  // B's own save ended B's draft.
  expect(await server.api('getDraft', { imageId, reader: 'Dr B' })).toBeNull();
  await b.page
    .getByTestId('mask-editor')
    .screenshot({ path: test.info().outputPath('two-readers-reapplied.png') });
  await server.stop();
});
