import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../main/workspace/Workspace.js';
import { createFolders, folderRefusal } from '../../main/workspace/createFolders.js';
import { WorkspaceDirError, resolveWorkspaceDir } from '../../main/workspace/resolveWorkspaceDir.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('workspace folders no one can have', () => {
  const tempDir = useTempDir();

  it('a workspace under /proc is refused at once, naming the folder (Node mkdir -p spun forever there)', () => {
    expect(() => Workspace.open('/proc/1/ws')).toThrow(
      "cannot create the folder /proc/1/ws: ENOENT: no such file or directory, mkdir '/proc/1/ws'",
    );
  });

  it('a folder under a file names the file; a new nested folder is made level by level', () => {
    const root = tempDir();
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'x');
    expect(() => createFolders(join(file, 'ws', 'store'))).toThrow(`${file} is not a folder`);
    expect(folderRefusal(join(file, 'out'))).toBe(`${file} is not a folder`);
    expect(folderRefusal(join(root, 'a', 'b'))).toBeNull();
    createFolders(join(root, 'a', 'b'));
    expect(existsSync(join(root, 'a', 'b'))).toBe(true);
    createFolders(join(root, 'a', 'b')); // already there: nothing to do
  });

  it('an empty --workspace is refused, not taken for the default', () => {
    expect(() => resolveWorkspaceDir('', {})).toThrow(WorkspaceDirError);
    expect(() => resolveWorkspaceDir('  ', {})).toThrow('--workspace needs a folder, not an empty name');
    expect(resolveWorkspaceDir(undefined, { MAMMO_WORKSPACE: '/tmp/w' })).toBe('/tmp/w');
  });
});
