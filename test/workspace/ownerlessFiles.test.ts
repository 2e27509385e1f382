import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

/**
 * A start removes what a killed process left (its id is in the name), whatever its age, and never
 * what a live process is writing.
 */
describe('files no live process owns', () => {
  const tempDir = useTempDir();
  const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  let deadPid = 0;
  beforeAll(() => {
    // A process that has exited: its id names no one now.
    deadPid = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
        .stdout,
    );
    expect(deadPid).toBeGreaterThan(0);
  });
  afterAll(() => live.kill());

  it("removes a dead writer's young temp files and export folders, keeps a live writer's", () => {
    const root = tempDir();
    mkdirSync(join(root, 'store', 'ab'), { recursive: true });
    const deadTemp = join(root, 'store', 'ab', `.abcd.dcm.${deadPid}-0123456789ab.tmp`);
    const liveTemp = join(root, 'store', 'ab', `.abcd.dcm.${live.pid}-0123456789ab.tmp`);
    const deadExport = join(root, 'exports', 'study-1', `.seg-20261206T230000Z.${deadPid}-0123456789ab.tmp`);
    const liveExport = join(root, 'exports', 'study-1', `.seg-20261206T230001Z.${live.pid}-0123456789ab.tmp`);
    const deadUpload = join(root, `.upload.${deadPid}-0123456789ab.tmp`);
    for (const folder of [deadExport, liveExport, deadUpload]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'SEG_1.dcm'), 'half');
    }
    for (const file of [deadTemp, liveTemp]) writeFileSync(file, 'x');

    Workspace.open(root).close();
    expect([deadTemp, deadExport, deadUpload].filter(existsSync)).toEqual([]);
    expect([liveTemp, liveExport].filter(existsSync)).toEqual([liveTemp, liveExport]);
  });

  it("removes a killed save's unreferenced mask and sample files, keeps saved ones and a live save's", async () => {
    const root = tempDir();
    const backend = MammoBackend.open(root);
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const image = (await backend.getStudy({ studyId: studies[0]!.id })).images[0]!;
    const { encode } = await import('fast-png');
    const mask = new Uint8Array(image.rows * image.columns).fill(255, 0, 100);
    const saved = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: Buffer.from(
        encode({ width: image.columns, height: image.rows, data: mask, channels: 1, depth: 8 }),
      ).toString('base64'),
      author: 'dr.a',
      findings: { decisions: [], added: [] },
    });
    await backend.close();
    const prefix = image.sha256.slice(0, 16);
    const killedMask = join(root, 'annotations', `${prefix}-v2-${deadPid}-0123abcd.png`);
    const killedSample = join(root, 'training', `${prefix}-annotation-0v2-rgb0-${deadPid}-0123abcd.png`);
    const liveMask = join(root, 'annotations', `${prefix}-v2-${live.pid}-4567cdef.png`);
    for (const file of [killedMask, killedSample, liveMask])
      writeFileSync(file, 'a complete but unrecorded png');

    const reopened = MammoBackend.open(root);
    await reopened.close();
    expect([killedMask, killedSample].filter(existsSync)).toEqual([]);
    expect(existsSync(liveMask)).toBe(true);
    expect(existsSync(join(root, saved.maskPath))).toBe(true);
  });
});
