import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAMMO_BIN, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

/** Input no run can mean is refused before any work, in one line naming it: no usage text, no hang. */
describe('mammo on input it must refuse by name', { timeout: 600_000 }, () => {
  const tempDir = useTempDir();
  const mammo = (...args: string[]) => {
    const run = spawnSync(process.execPath, [MAMMO_BIN, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      // Node's recursive mkdir spun forever on /proc/1/ws: a hang is a failure, not a wait (the
      // limit is generous: a loaded two-core machine takes half a minute to start a process).
      timeout: 150_000,
      env: { ...process.env, MAMMO_MODELS_DIR: tempDir(), MAMMO_TF_BACKEND: 'wasm' },
    });
    expect(run.error).toBeUndefined();
    return { status: run.status, lines: run.stderr.trim().split('\n') };
  };

  it('an empty or impossible --workspace is one line', () => {
    expect(mammo('--workspace', '', 'studies')).toEqual({
      status: 2,
      lines: ['mammo studies: --workspace needs a folder, not an empty name'],
    });
    expect(mammo('--workspace', '/proc/1/ws', 'studies')).toEqual({
      status: 1,
      lines: [
        "mammo studies: cannot open the workspace /proc/1/ws: cannot create the folder /proc/1/ws: ENOENT: no such file or directory, mkdir '/proc/1/ws'",
      ],
    });
    expect(mammo('--workspace', '/etc/passwd/ws', 'studies')).toEqual({
      status: 1,
      lines: ['mammo studies: cannot open the workspace /etc/passwd/ws: /etc/passwd is not a folder'],
    });
  });

  it('studies and jobs refuse unknown options; a usage error is one line', () => {
    const workspace = tempDir();
    expect(mammo('--workspace', workspace, 'studies', '--bogus')).toEqual({
      status: 2,
      lines: [expect.stringMatching(/^mammo studies: Unknown option '--bogus'/)],
    });
    expect(mammo('--workspace', workspace, 'jobs', '--limit', '3')).toEqual({
      status: 2,
      lines: [expect.stringMatching(/^mammo jobs: Unknown option '--limit'/)],
    });
    expect(mammo('--workspace', workspace, 'studies', 'extra')).toEqual({
      status: 2,
      lines: [expect.stringMatching(/^mammo studies: Unexpected argument 'extra'/)],
    });
  });

  it('train refuses an --out it could never write before it trains', () => {
    const run = mammo('--workspace', tempDir(), 'train', '--out', '/etc/passwd/x', '--steps', '1');
    expect(run).toEqual({
      status: 2,
      lines: ['mammo train: --out /etc/passwd/x: /etc/passwd is not a folder'],
    });
    const file = join(REPO_ROOT, 'package.json', 'model');
    expect(mammo('--workspace', tempDir(), 'train', '--out', file).lines).toEqual([
      `mammo train: --out ${file}: ${join(REPO_ROOT, 'package.json')} is not a folder`,
    ]);
  });
});
