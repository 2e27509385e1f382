/**
 * `mammo analyze` on a file whose pixels cannot be decoded: one line naming the file and the
 * reason, no stack trace, and a non-zero exit. (--debug's stack: test/cli/cleanErrors.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAMMO_BIN, REPO_ROOT } from '../helpers/paths.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

describe('mammo analyze on an undecodable image', () => {
  const tempDir = useTempDir('mammo-analyze-undecodable-');
  let modelsDir: string;

  beforeAll(async () => {
    // A model must be installed, or analyze stops before it reads the file.
    modelsDir = join(tempDir(), 'models');
    mkdirSync(modelsDir);
    await saveTinyModel(modelsDir, 'tiny-analyze');
  });

  it('prints one line naming the file and exits 1', () => {
    const dir = tempDir();
    // 256 x 256 x 16 bits needs 131072 bytes of Pixel Data; the file carries 1000.
    const file = join(dir, 'cut-short.dcm');
    writeFileSync(
      file,
      writeSyntheticDicom({
        rows: 256,
        columns: 256,
        pixelBytes: new Uint8Array(1000),
        pixelSpacing: [0.1, 0.1],
      }),
    );
    const run = spawnSync(
      process.execPath,
      [MAMMO_BIN, '--workspace', join(dir, 'workspace'), 'analyze', file],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, MAMMO_MODELS_DIR: modelsDir, MAMMO_TF_BACKEND: 'wasm' },
      },
    );
    expect(run.status).toBe(1);
    const lines = run.stderr
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('analysing tiles'));
    expect(lines).toEqual([expect.stringMatching(/^mammo analyze: .*cut-short\.dcm.*truncated pixel data/)]);
    expect(run.stdout).toBe('');
  }, 60_000);
});
