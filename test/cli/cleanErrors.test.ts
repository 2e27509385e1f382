import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAMMO_BIN, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('mammo on a workspace it cannot open', () => {
  const tempDir = useTempDir();

  it('names the workspace in one line, and shows the stack only with --debug', () => {
    // A folder under a regular file cannot be created, even by root (chmod would not stop root).
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const workspace = join(blocker, 'workspace');
    const mammo = (...args: string[]) =>
      spawnSync(process.execPath, [MAMMO_BIN, '--workspace', workspace, ...args], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
    const plain = mammo('studies');
    expect(plain.status).toBe(1);
    expect(plain.stderr.trim().split('\n')).toEqual([
      // The reason in words (mkdir's ENOTDIR): a regular file stands where a folder is needed.
      `mammo studies: cannot open the workspace ${workspace}: ${blocker} is not a folder`,
    ]);
    const debug = mammo('studies', '--debug');
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});
