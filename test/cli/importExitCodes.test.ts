import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MAMMO_BIN, MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

/** What `mammo import` says and exits with when a folder holds more than DICOM files. */
describe('mammo import exit status', () => {
  const tempDir = useTempDir('mammo-import-cli-');
  const mammo = (workspace: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, [MAMMO_BIN, '--workspace', workspace, 'import', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).not.toMatch(/^\s+at /m);
    return run;
  };
  const studyFolder = (extra: Record<string, string | Buffer>): string => {
    const folder = join(tempDir(), 'export');
    mkdirSync(join(folder, 'DICOM'), { recursive: true });
    const study = { patientId: 'CLI-1', studyInstanceUid: testUid(), viewPosition: 'MLO' };
    writeFileSync(join(folder, 'DICOM', 'IM1'), writeSyntheticDicom({ ...study, imageLaterality: 'R' }));
    writeFileSync(join(folder, 'DICOM', 'IM2'), writeSyntheticDicom({ ...study, imageLaterality: 'L' }));
    for (const [name, content] of Object.entries(extra)) writeFileSync(join(folder, name), content);
    return folder;
  };

  it('exits 0 when every DICOM went in, listing the README it left out', async () => {
    const workspace = tempDir();
    const run = mammo(workspace, studyFolder({ README: 'Exported by the scanner.\n', 'DICOMDIR.txt': 'x' }));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^imported 2, skipped 0 already present, 0 errors, 2 not DICOM \(left out\)$/m,
    );
    expect(run.stderr).toMatch(/^not DICOM, left out: .*export\/README$/m);
    expect(run.stderr).not.toMatch(/^error:/m);
    const backend = MammoBackend.open(workspace);
    const [study] = await backend.listStudies({});
    expect(study?.imageCount).toBe(2);
    expect(study?.views.sort()).toEqual(['LMLO', 'RMLO']);
    await backend.close();
  });

  it('exits 1 when a DICOM file is refused, even beside a README', () => {
    const broken = writeSyntheticDicom({ patientId: 'CLI-2' }).subarray(0, 400);
    const run = mammo(tempDir(), studyFolder({ README: 'notes', 'IM3.dcm': broken }));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: .*IM3\.dcm: /m);
    expect(run.stderr).toMatch(/^not DICOM, left out: .*README$/m);
  });

  it('exits 1 when nothing found is DICOM', () => {
    const folder = join(tempDir(), 'notes');
    mkdirSync(folder);
    writeFileSync(join(folder, 'README'), 'nothing here');
    const run = mammo(tempDir(), folder);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/imported 0, skipped 0 already present, 0 errors, 1 not DICOM/);
  });

  it('suggests --format mias for a mini-MIAS folder imported as DICOM', () => {
    const run = mammo(tempDir(), MIAS_FIXTURE);
    expect(run.status).toBe(1);
    const files = readdirSync(MIAS_FIXTURE, { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    );
    expect(run.stdout).toContain(
      `imported 0, skipped 0 already present, 0 errors, ${files.length} not DICOM`,
    );
    expect(run.stderr).toMatch(/^hint: these look like mini-MIAS images; .*mammo import --format mias /m);
  });
});
