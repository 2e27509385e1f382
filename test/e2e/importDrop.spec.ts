/**
 * Import in browser mode without typing a path: files dropped on the worklist (and picked with the
 * file input) are uploaded to the server, imported, and listed; a file that is not DICOM is named
 * in the per-file errors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from './fixtures.js';
import { writeSyntheticMammogram } from './support/syntheticDicom.js';

test('dropped DICOM files land in the worklist; a dropped text file is named as not DICOM', async ({
  server,
  worklist,
  viewer,
  shot,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'mammo-e2e-drop-'));
  try {
    const study = {
      patientId: 'DROP-001',
      studyUid: '2.25.4242424242424242',
      photometric: 'MONOCHROME2',
    } as const;
    const files = [
      writeSyntheticMammogram(dir, {
        ...study,
        laterality: 'R',
        view: 'MLO',
        tissueAt: 'right',
        instance: 7,
      }),
      writeSyntheticMammogram(dir, { ...study, laterality: 'L', view: 'MLO', tissueAt: 'left', instance: 8 }),
    ].map((file) => ({ name: basename(file), bytes: readFileSync(file) }));
    await worklist.goto(server);
    await expect(worklist.row('DROP-001')).toHaveCount(0);

    await worklist.dropFiles([
      ...files,
      { name: 'README.txt', bytes: Buffer.from('scanner export notes\n') },
    ]);
    await expect(worklist.importResult).toContainText('Imported 2');
    await expect(worklist.importResult).toContainText('1 not DICOM');
    await expect(worklist.importErrors).toContainText('README.txt: not DICOM');
    await expect(worklist.row('DROP-001')).toHaveCount(1);
    await expect(worklist.row('DROP-001')).toContainText('RMLO');
    await shot('dropped');

    // The imported images are the dropped ones: the study opens and both views render.
    await worklist.open('DROP-001');
    await viewer.expectRendered('RMLO');
    await viewer.expectRendered('LMLO');
    await viewer.backToWorklist();

    // The file picker takes the same path; a second import of the same files finds them present.
    await worklist.page
      .getByLabel('Choose files to import')
      .setInputFiles(
        files.map(({ name, bytes }) => ({ name, mimeType: 'application/dicom', buffer: Buffer.from(bytes) })),
      );
    await expect(worklist.importResult).toContainText('Imported 0, already present 2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mini-MIAS images dropped as DICOM suggest the mini-MIAS format', async ({ server, worklist }) => {
  const image = readFileSync(new URL('../fixtures/mias/images/mdb001.png', import.meta.url));
  await worklist.goto(server);
  await worklist.importFormat.selectOption('dicom');
  await worklist.dropFiles([{ name: 'mdb001.png', bytes: image }]);
  await expect(worklist.importResult).toContainText('Imported 0');
  await expect(worklist.page.getByTestId('import-hint')).toContainText('mini-MIAS');
});
