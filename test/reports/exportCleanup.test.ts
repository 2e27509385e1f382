/**
 * Exports that fail, or have nothing to write, leave nothing in the user's folder: no temp file,
 * no half-filled temp folder, no empty export folder. What a killed export left behind is swept by
 * the next export to that folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image } from '../../main/api/domain.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { PredictionRepository } from '../../main/db/PredictionRepository.js';
import { MAMMO_BIN, MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('export clean-up', () => {
  const tempDir = useTempDir('mammo-export-cleanup-out-');
  let root: string;
  let backend: MammoBackend;
  /** MIAS-001: both images have a stored prediction, the second one's map is a truncated PNG. */
  let brokenStudyId: number;
  /** MIAS-108: no saved mask and no ground truth that can be drawn, no prediction. */
  let emptyStudyId: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mammo-export-cleanup-'));
    mkdirSync(join(root, 'models'));
    backend = MammoBackend.open(join(root, 'ws'), { shippedModelsDir: join(root, 'models') });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    brokenStudyId = studies.find((s) => s.patientId === 'MIAS-001')!.id;
    emptyStudyId = studies.find((s) => s.patientId === 'MIAS-108')!.id;
    const images = (await backend.getStudy({ studyId: brokenStudyId })).images;
    const predictions = new PredictionRepository(backend.workspace.db);
    mkdirSync(backend.workspace.resolvePath('predictions'), { recursive: true });
    images.forEach((image: Image, index) => {
      const png = encode({
        width: image.columns,
        height: image.rows,
        data: new Uint8Array(image.rows * image.columns).fill(100),
        channels: 1,
        depth: 8,
      });
      const broken = index === images.length - 1;
      const mapPath = `predictions/map-${image.id}.png`;
      writeFileSync(backend.workspace.resolvePath(mapPath), broken ? png.subarray(0, 60) : png);
      predictions.save({
        imageId: image.id,
        modelId: 'cleanup-model',
        backend: 'wasm',
        createdAt: '2026-11-28T09:00:00.000Z',
        imageScore: 0.5,
        uncertainty: 0.1,
        findingThreshold: 0.5,
        findings: [],
        mapPath,
        rows: image.rows,
        columns: image.columns,
        spacingAssumed: false,
        timingsMs: { decode: 0, inference: 0, total: 0 },
      });
    });
  });

  afterAll(async () => {
    await backend.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a folder export that fails half-way leaves no temp folder and no target (mammo export)', () => {
    const out = tempDir();
    writeFileSync(join(out, 'earlier.txt'), 'the user’s own file');
    const target = join(out, 'fseg');
    const run = spawnSync(
      process.execPath,
      [
        MAMMO_BIN,
        '--workspace',
        backend.workspace.root,
        'export',
        String(brokenStudyId),
        '--fractional-seg',
        target,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, MAMMO_MODELS_DIR: join(root, 'models') } },
    );
    expect(run.status).toBe(1);
    // One line naming the target, no stack.
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^error: fractional-seg: ${target}: `)),
    ]);
    expect(readdirSync(out)).toEqual(['earlier.txt']);
  });

  it('a file export that cannot be written leaves no temp file', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'in-the-way'), 'a file where a folder should be');
    const target = join(out, 'in-the-way', 'report.json');
    await expect(backend.exportStudyTo(brokenStudyId, 'json', target)).rejects.toThrow(
      new RegExp(`^${target}: .*ENOTDIR`),
    );
    expect(readdirSync(out)).toEqual(['in-the-way']);
  });

  it('a folder export with nothing to write makes no folder, and says so', async () => {
    const out = tempDir();
    const target = join(out, 'seg');
    const result = await backend.exportStudyTo(emptyStudyId, 'seg', target);
    expect(result.files).toEqual([]);
    expect(result.notes.at(-1)).toBe(`nothing was written, so no folder was made at ${target}`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an export from the UI that fails or writes nothing leaves no empty study folder in the workspace', async () => {
    const studyFolder = join(backend.workspace.root, 'exports', `study-${emptyStudyId}`);
    await expect(backend.exportStudy({ studyId: emptyStudyId, kind: 'sr' })).rejects.toThrow(
      /has an AI prediction/,
    );
    expect(existsSync(studyFolder)).toBe(false);
    expect((await backend.exportStudy({ studyId: emptyStudyId, kind: 'seg' })).files).toEqual([]);
    expect(existsSync(studyFolder)).toBe(false);
    // A successful export keeps its folder, and a later failure does not take it away.
    const json = await backend.exportStudy({ studyId: emptyStudyId, kind: 'json' });
    await expect(backend.exportStudy({ studyId: emptyStudyId, kind: 'sr' })).rejects.toThrow();
    expect(readdirSync(studyFolder)).toEqual([json.files[0]!.slice(studyFolder.length + 1)]);
  });

  it('the next export to a folder sweeps what a killed export left there; young ones and the user’s files stay', async () => {
    const out = tempDir();
    // As a SIGKILL leaves them: writeFolder's half-filled temp folder, writeFileAtomic's temp file.
    const staleFolder = join(out, '.seg.0123456789ab.tmp');
    mkdirSync(staleFolder);
    writeFileSync(join(staleFolder, 'SEG_RMLO_image1.dcm'), 'half');
    const staleFile = join(out, '.report.pdf.ba9876543210.tmp');
    writeFileSync(staleFile, '%PDF-');
    const young = join(out, '.other.pdf.00112233aabb.tmp');
    writeFileSync(young, 'being written by another export right now');
    const userFolder = join(out, 'old-exports');
    mkdirSync(userFolder);
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    for (const path of [staleFolder, staleFile, userFolder]) utimesSync(path, hourAgo, hourAgo);

    await backend.exportStudyTo(emptyStudyId, 'json', join(out, 'report.json'));
    expect(readdirSync(out).sort()).toEqual(['.other.pdf.00112233aabb.tmp', 'old-exports', 'report.json']);
  });

  it("an export's temp folder names its process: a dead one's is swept at once, whatever its age; a live one's stays", async () => {
    const out = tempDir();
    // pid 4194303 is above Linux's default pid_max: no process has it.
    const dead = join(out, '.seg.4194303-0123456789ab.tmp');
    const live = join(out, `.sr.${process.pid}-0123456789ab.tmp`);
    for (const folder of [dead, live]) mkdirSync(folder);
    await backend.exportStudyTo(emptyStudyId, 'json', join(out, 'report.json'));
    expect(readdirSync(out).sort()).toEqual([`.sr.${process.pid}-0123456789ab.tmp`, 'report.json']);
  });
});
