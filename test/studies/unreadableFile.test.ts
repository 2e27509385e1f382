import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

const PERMISSION_DENIED = 'cannot be opened: permission denied (this user may not read it)';

function openErrorCode(path: string): string | undefined {
  try {
    closeSync(openSync(path, 'r'));
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/**
 * A file in `folder` that the file system lists and stats but refuses to open with EACCES. As a
 * normal user that is a file with mode 000. Root may open any file whatever its mode, so there the
 * file is a link to a /proc file of process 1 that the kernel refuses to open (another process's
 * environment: root without ptrace rights over it gets EACCES too), under the same name. Neither
 * working is a failure, not a skip.
 */
function unreadableFileIn(folder: string, name: string): string {
  const path = join(folder, name);
  writeFileSync(path, writeSyntheticDicom({ rows: 4, columns: 4 }));
  chmodSync(path, 0o000);
  if (openErrorCode(path) === 'EACCES') return path;
  rmSync(path);
  const procFile = '/proc/1/environ';
  symlinkSync(procFile, path);
  expect(statSync(path).isFile(), `${procFile} should stat as a file`).toBe(true);
  expect(openErrorCode(path), `neither mode 000 nor ${procFile} gives EACCES here`).toBe('EACCES');
  return path;
}

describe('a file the system will not open', () => {
  const tempDir = useTempDir();

  it('is refused in an import with one line naming it and why, and the batch goes on', async () => {
    const source = tempDir();
    writeFileSync(join(source, 'good.dcm'), writeSyntheticDicom({ rows: 8, columns: 8 }));
    const locked = unreadableFileIn(source, 'locked.dcm');
    const backend = MammoBackend.open(tempDir());
    try {
      const result = await backend.importFiles({ paths: [source], format: 'dicom' });
      expect(result.imported).toBe(1);
      expect(result.errors).toEqual([{ file: locked, reason: PERMISSION_DENIED }]);
    } finally {
      await backend.close();
    }
  });

  it('is a one-line decode error, in this thread and across the worker', async () => {
    const folder = tempDir();
    const locked = unreadableFileIn(folder, 'locked.dcm');
    const inThread = await decodeImageFile(locked).catch((e: unknown) => e);
    expect(inThread).toMatchObject({
      name: 'ImageDecodeError',
      code: 'unreadable-file',
      reason: PERMISSION_DENIED,
      fileName: locked,
    });
    expect((inThread as Error).message).toMatch(
      new RegExp(`^[^\\n]*locked\\.dcm: ${PERMISSION_DENIED.replace(/[()]/g, '\\$&')}$`),
    );
    // A folder where a file was expected: the same mechanism, another reason.
    const folderAsFile = join(folder, 'scan.dcm');
    mkdirSync(folderAsFile);
    const pool = new DecodePool({ size: 1 });
    try {
      await expect(pool.decode(folderAsFile)).rejects.toMatchObject({
        code: 'unreadable-file',
        message: 'scan.dcm: cannot be opened: it is a folder, not a file',
      });
      await expect(pool.decode(locked)).rejects.toMatchObject({
        code: 'unreadable-file',
        reason: PERMISSION_DENIED,
      });
    } finally {
      await pool.close();
    }
  });
});
