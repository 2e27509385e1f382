import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FineTuneJob } from '../../main/api/training.js';
import { MAMMO_BIN, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

const SIDE = 96;

/** A binary PGM (P5): a bright half-disc breast on black, brighter still inside an optional lesion. */
function tinyMammogram(right: boolean, lesion?: { x: number; yFromBottom: number; radius: number }): Buffer {
  const pixels = new Uint8Array(SIDE * SIDE);
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      const fromChestWall = right ? SIDE - 1 - column : column;
      const inBreast = (row - SIDE / 2) ** 2 + fromChestWall ** 2 < (SIDE * 0.45) ** 2;
      const inLesion =
        lesion && (row - (SIDE - lesion.yFromBottom)) ** 2 + (column - lesion.x) ** 2 <= lesion.radius ** 2;
      pixels[row * SIDE + column] = inLesion ? 220 : inBreast ? 110 + ((row * 7 + column * 13) % 30) : 4;
    }
  }
  return Buffer.concat([Buffer.from(`P5\n${SIDE} ${SIDE}\n255\n`, 'latin1'), pixels]);
}

/**
 * A mini-MIAS-layout folder (Info.txt + mdbNNN.pgm) of two patients: a mass with its centre, a
 * normal breast, calcifications listed without a centre (as mini-MIAS does), another normal.
 */
function writeMiasFolder(folder: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'mdb001.pgm'), tinyMammogram(true, { x: 70, yFromBottom: 50, radius: 8 }));
  writeFileSync(join(folder, 'mdb002.pgm'), tinyMammogram(false));
  writeFileSync(join(folder, 'mdb003.pgm'), tinyMammogram(true));
  writeFileSync(join(folder, 'mdb004.pgm'), tinyMammogram(false));
  writeFileSync(
    join(folder, 'Info.txt'),
    ['mdb001 G CIRC B 70 50 8', 'mdb002 G NORM', 'mdb003 F CALC M', 'mdb004 F NORM', ''].join('\n'),
  );
}

describe('mammo import --format mias, then mammo finetune', () => {
  const tempDir = useTempDir();
  let models = '';
  const mammo = (workspace: string, ...args: string[]) =>
    spawnSync(process.execPath, [MAMMO_BIN, '--workspace', workspace, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, MAMMO_MODELS_DIR: models, MAMMO_TF_BACKEND: 'wasm' },
    });
  const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

  it('learns from the imported ground truth at once, and says in one line when nothing is left to learn', async () => {
    models = tempDir();
    await saveTinyModel(models, 'tiny-base');
    const workspace = tempDir();
    const before = mammo(workspace, 'finetune');
    expect(before.status, before.stderr).toBe(1);
    expect(before.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^mammo finetune: nothing to learn: no training samples; /),
    ]);

    const data = join(tempDir(), 'mias');
    writeMiasFolder(data);
    const imported = mammo(workspace, 'import', '--format', 'mias', data);
    expect(imported.stderr).toBe('');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported 4, /m);
    expect(imported.stdout).toMatch(
      /^training samples from the ground truth: \d+ added, 0 images already done, 1 images left out$/m,
    );
    expect(imported.stdout).toMatch(
      /^ {2}left out: MIAS-002 R MLO \(image \d+\): abnormal \(CALC\) but its record gives no lesion centre/m,
    );

    const tuned = mammo(workspace, 'finetune', '--steps', '2', '--size', '64', '--json');
    noStackTrace(tuned.stderr);
    expect(tuned.status, tuned.stderr).toBe(0);
    const job = JSON.parse(tuned.stdout) as FineTuneJob;
    expect(job).toMatchObject({ status: 'succeeded', steps: 2, error: null, parentModel: 'tiny-base' });
    expect(job.candidateModel).toMatch(/^ft-/);
    expect(job.sampleIds.length).toBeGreaterThan(0);
    // The gate's verdict comes with it; with no validation patients here the candidate is not
    // measured, does not pass, and stays a candidate for a person to promote.
    expect(job.gate).toMatchObject({ passed: false, promoted: false, reference: 'parent-card' });
    expect(job.gate?.reason).toMatch(/^Not passed: this workspace has no validation patients, so ft-/);

    // What a candidate learned counts once a person makes it current (learned-ness is the lineage's).
    const promoted = mammo(workspace, 'models', 'promote', job.candidateModel!);
    expect(promoted.status, promoted.stderr).toBe(0);
    const again = mammo(workspace, 'finetune', '--steps', '2', '--size', '64');
    expect(again.status, again.stderr).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^mammo finetune: nothing to learn: the current model or its ancestors learned all \d+ training labels already; /,
      ),
    ]);

    const bad = mammo(workspace, 'finetune', '--steps', 'many');
    expect(bad.status, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/^mammo finetune: .*\n.*steps/);
    noStackTrace(bad.stderr);
  }, 180_000); // six CLI runs, one of them a fine-tune
});
