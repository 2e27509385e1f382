/**
 * Import must not tell whether an arbitrary path exists: missing, not allowed, empty and special
 * paths all get the same reason (the path is the caller's own, so it is repeated as given).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { UNREADABLE_PATH_REASON } from '../../main/studies/unreadablePath.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('importFiles on paths it cannot take in', () => {
  const tempDir = useTempDir('mammo-unreadable-');

  it('gives one reason for missing, unreadable, empty and special paths, without an errno', async () => {
    const dir = tempDir();
    const aFile = join(dir, 'a-file');
    writeFileSync(aFile, 'x');
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop); // ELOOP
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const probes = [
      join(dir, 'missing.dcm'), // ENOENT
      join(aFile, 'under-a-file.dcm'), // ENOTDIR, as a folder one may not enter looks
      loop,
      fifo,
      empty,
      '/proc/1/root/etc/shadow', // exists, but another process's root
      '/dev/null',
    ];
    const backend = MammoBackend.open(join(dir, 'workspace'));
    try {
      const result = await backend.importFiles({ paths: probes, format: 'dicom' });
      expect(result.imported).toBe(0);
      expect(result.errors).toEqual(probes.map((file) => ({ file, reason: UNREADABLE_PATH_REASON })));
    } finally {
      await backend.close();
    }
  });

  it('inside a chosen folder, names an entry it cannot read and passes over special files', async () => {
    const dir = tempDir();
    const folder = join(dir, 'study');
    mkdirSync(folder);
    symlinkSync(join(dir, 'gone.dcm'), join(folder, 'dangling.dcm'));
    expect(spawnSync('mkfifo', [join(folder, 'fifo')]).status).toBe(0);
    writeFileSync(join(folder, 'notes.txt'), 'not a mammogram');
    const backend = MammoBackend.open(join(dir, 'workspace'));
    try {
      const result = await backend.importFiles({ paths: [folder], format: 'dicom' });
      expect(result.errors.map((e) => [e.file, e.reason === UNREADABLE_PATH_REASON])).toEqual([
        [join(folder, 'dangling.dcm'), true],
        [join(folder, 'notes.txt'), false],
      ]);
    } finally {
      await backend.close();
    }
  });
});
