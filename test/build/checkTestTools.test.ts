import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

/** `npm test`'s first step, run as npm runs it, on this machine and with the tools hidden. */
describe('the test prerequisites check', () => {
  const check = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/checkTestTools.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env,
    });

  it('passes silently where the tools are installed (this machine runs the suite)', () => {
    const run = check(process.env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names what is missing and the one command that installs it, in one line', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mammo-no-tools-'));
    try {
      // Nothing on PATH, and no Chromium where the e2e config looks; Orthanc is found by its absolute path.
      const run = check({ ...process.env, PATH: empty, MAMMO_CHROMIUM: join(empty, 'chromium') });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^npm test needs Chromium, poppler, DCMTK and dicom3tools, which are missing here: (sudo )?apt-get install -y chromium poppler-utils dcmtk dicom3tools$/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
