import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAMMO_BIN, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

/** A user's mistake gets one line naming it (plus the usage text for bad usage), never a stack trace. */
describe('mammo train, finetune and export on user errors', () => {
  const tempDir = useTempDir();
  const mammo = (...args: string[]) => {
    const run = spawnSync(process.execPath, [MAMMO_BIN, '--workspace', tempDir(), ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, MAMMO_MODELS_DIR: tempDir(), MAMMO_TF_BACKEND: 'wasm' },
    });
    expect(run.stderr).not.toMatch(/^\s+at /m);
    return run;
  };

  it('bad options are usage errors (exit 2) naming the option', () => {
    const steps = mammo('train', '--out', 'm', '--steps', 'many');
    expect(steps.status).toBe(2);
    expect(steps.stderr).toMatch(/^mammo train: invalid training settings: stages\.0\.steps: /);
    const threads = mammo('train', '--out', 'm', '--threads', '0');
    expect(threads.status).toBe(2);
    expect(threads.stderr).toMatch(/^mammo train: --threads must be a whole number from 1 up, not '0'/);
    const replicas = mammo('train', '--out', 'm', '--replicas', '9');
    expect(replicas.status).toBe(2);
    expect(replicas.stderr).toMatch(/^mammo train: invalid training settings: replicas: /);
    const unknown = mammo('finetune', '--epochs', '3');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^mammo finetune: Unknown option '--epochs'/);
    const missing = mammo('export', '1', '--pdf');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^mammo export: Option '--pdf <value>' argument missing/);
  });

  it('training with no training samples says so in one line and exits 1', () => {
    const run = mammo('train', '--out', 'model', '--steps', '2');
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^mammo train: no training samples in the training split: /);
    expect(lines.filter((line) => line.startsWith('mammo train:'))).toHaveLength(1);
  });
});
