import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAMMO_BIN, MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

/** `mammo report`: a wrong value is one line naming it, with no usage text. */
describe('mammo report on a wrong value', () => {
  const tempDir = useTempDir();

  it('an invalid --birads or --density prints one line and exits 2; a valid one is saved', () => {
    const workspace = tempDir();
    const mammo = (...args: string[]) =>
      spawnSync(process.execPath, [MAMMO_BIN, '--workspace', workspace, ...args], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, MAMMO_MODELS_DIR: workspace },
      });
    expect(mammo('import', MIAS_FIXTURE, '--format', 'mias').status).toBe(0);
    const studies = JSON.parse(mammo('studies', '--json').stdout) as { id: number }[];
    const study = String(studies[0]!.id);
    const birads = mammo('report', study, '--reader', 'Dr A', '--birads', '7');
    expect(birads.status).toBe(2);
    expect(birads.stderr.trim().split('\n')).toEqual([
      "mammo report: --birads '7' is not one of 0, 1, 2, 3, 4, 4A, 4B, 4C, 5, 6",
    ]);
    const density = mammo('report', study, '--reader', 'Dr A', '--density', 'e');
    expect(density.status).toBe(2);
    expect(density.stderr.trim().split('\n')).toEqual([
      "mammo report: --density 'e' is not one of a, b, c, d",
    ]);
    const valid = mammo('report', study, '--reader', 'Dr A', '--birads', '4a', '--json');
    expect(valid.stderr).toBe('');
    expect(valid.status).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({
      studyId: studies[0]!.id,
      biRads: '4A',
      status: 'draft',
    });
  });
});
