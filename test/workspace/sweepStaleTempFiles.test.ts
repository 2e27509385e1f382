import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../main/common/atomicWrite.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('stale temp files', () => {
  const tempDir = useTempDir();

  it('are swept when the workspace opens; young ones and real files stay', () => {
    const root = tempDir();
    const folder = join(root, 'store', 'ab');
    mkdirSync(folder, { recursive: true });
    const stale = join(folder, '.abcd.dcm.0123456789ab.tmp');
    const young = join(root, '.mammo.sqlite.ba9876543210.tmp');
    const userFile = join(folder, '.notes.tmp');
    for (const file of [stale, young, userFile]) writeFileSync(file, 'x');
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(stale, hourAgo, hourAgo);
    utimesSync(userFile, hourAgo, hourAgo);
    writeFileAtomic(join(folder, 'kept.dcm'), 'content');

    // A folder export's temp folder in the workspace's exports, as a killed export leaves it.
    const staleExport = join(root, 'exports', 'study-1', '.seg-20261128T090000Z.0123456789ab.tmp');
    mkdirSync(staleExport, { recursive: true });
    writeFileSync(join(staleExport, 'SEG_RCC_image1.dcm'), 'half');
    utimesSync(staleExport, hourAgo, hourAgo);

    Workspace.open(root).close();
    expect(existsSync(staleExport)).toBe(false);
    expect(existsSync(join(root, 'exports', 'study-1'))).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(userFile)).toBe(true);
    expect(existsSync(join(folder, 'kept.dcm'))).toBe(true);
  });
});
