/**
 * `mammo analyze` on a file whose pixels cannot be decoded: one line naming the file and the
 * reason, no stack trace (that only with --debug), and a non-zero exit.
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

  it('prints one line naming the file and exits 1; --debug adds the stack', () => {
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
    const analyze = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [MAMMO_BIN, '--workspace', join(dir, 'workspace'), 'analyze', file, ...extra],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          env: { ...process.env, MAMMO_MODELS_DIR: modelsDir, MAMMO_TF_BACKEND: 'wasm' },
        },
      );
    const plain = analyze();
    expect(plain.status).toBe(1);
    const lines = plain.stderr
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('analysing tiles'));
    expect(lines).toEqual([expect.stringMatching(/^mammo analyze: .*cut-short\.dcm.*truncated pixel data/)]);
    expect(plain.stdout).toBe('');

    const debug = analyze('--debug');
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
  }, 60_000);
});
