import { API_METHODS } from '../../main/api/contract.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';

/** The UI's exports name no path: the back end picks a new one inside the workspace. */
describe('exportStudy over the transports', () => {
  it('refuses an output path from a client: exports only go to the workspace', () => {
    expect(
      API_METHODS.exportStudy.input.safeParse({ studyId: 1, kind: 'pdf', outPath: '/etc/cron.d/x' }).success,
    ).toBe(false);
    expect(API_METHODS.exportStudy.input.safeParse({ studyId: 1, kind: 'pdf' }).success).toBe(true);
  });
});

describe('exportStudy without outPath', () => {
  let root: string;
  let backend: MammoBackend;
  let studyId: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mammo-export-target-'));
    mkdirSync(join(root, 'models'));
    backend = MammoBackend.open(join(root, 'ws'), { shippedModelsDir: join(root, 'models') });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    studyId = studies[0]!.id;
  });
  afterAll(async () => {
    await backend.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes under <workspace>/exports/study-<id>/ with a new name each time', async () => {
    const folder = join(backend.workspace.root, 'exports', `study-${studyId}`);
    const first = await backend.exportStudy({ studyId, kind: 'json' });
    const second = await backend.exportStudy({ studyId, kind: 'json' });
    expect(first.files).toHaveLength(1);
    expect(first.files[0]).toMatch(new RegExp(`^${folder}/report-\\d{8}T\\d{6}Z(-\\d+)?\\.json$`));
    expect(second.files[0]).not.toBe(first.files[0]);
    expect(JSON.parse(readFileSync(first.files[0]!, 'utf8'))).toMatchObject({ study: { studyId } });
  });

  it('never names an existing file or folder', () => {
    const now = new Date('2026-11-25T19:03:12.345Z');
    const pdf = backend.exports.defaultTarget(studyId, 'pdf', now);
    expect(pdf.endsWith(`study-${studyId}/report-20261125T190312Z.pdf`)).toBe(true);
    writeFileSync(pdf, '%PDF-');
    expect(backend.exports.defaultTarget(studyId, 'pdf', now)).toMatch(/report-20261125T190312Z-2\.pdf$/);
    const seg = backend.exports.defaultTarget(studyId, 'seg', now);
    expect(seg).toMatch(/\/seg-20261125T190312Z$/);
    mkdirSync(seg);
    expect(backend.exports.defaultTarget(studyId, 'seg', now)).toMatch(/\/seg-20261125T190312Z-2$/);
  });

  it('refuses an unknown study before making a folder for it', async () => {
    await expect(backend.exportStudy({ studyId: 999, kind: 'pdf' })).rejects.toThrow('study 999 not found');
  });
});
