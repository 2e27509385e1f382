import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { PredictionRepository } from '../../main/db/PredictionRepository.js';
import { readPart10 } from '../../main/reports/dicom/dicomCommon.js';
import { freePort, OrthancServer } from '../helpers/orthanc.js';
import { useTempDir } from '../helpers/tempDir.js';
import { screeningStudy } from './pacsStudies.js';

/** dciodvfy's error lines (warnings about DICOMDIR attributes are not errors). */
function dciodvfyErrors(bytes: Uint8Array, dir: string): string[] {
  const file = join(dir, 'check.dcm');
  writeFileSync(file, bytes);
  const run = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.startsWith('Error'));
}

describe('store-back of results with STOW-RS (real Orthanc)', () => {
  const tempDir = useTempDir();
  let orthanc: OrthancServer;
  let work: string;

  beforeAll(async () => {
    orthanc = await OrthancServer.start();
    work = mkdtempSync(join(tmpdir(), 'mammo-pacs-send-'));
  });

  afterAll(async () => {
    await orthanc?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Orthanc's stored file of an instance, found by its SOP Instance UID. */
  async function readBack(sopInstanceUid: string): Promise<Uint8Array> {
    const found = (await (
      await orthanc.rest('/tools/find', {
        method: 'POST',
        body: JSON.stringify({ Level: 'Instance', Query: { SOPInstanceUID: sopInstanceUid } }),
      })
    ).json()) as string[];
    expect(found, sopInstanceUid).toHaveLength(1);
    return new Uint8Array(await (await orthanc.rest(`/instances/${found[0]}/file`)).arrayBuffer());
  }

  it('sends the SEG, the CAD SR and the report as Encapsulated PDF; each valid when read back; a failed push is retried', async () => {
    const study = screeningStudy({
      patientId: 'SEND-1',
      patientName: 'Send^Test',
      studyDate: '20240401',
      accessionNumber: 'ACC-S',
    });
    const input = tempDir();
    for (const instance of study.instances)
      writeFileSync(join(input, `${instance.sopInstanceUid}.dcm`), instance.file);
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir(), pacsTimeoutMs: 2000 });
    try {
      const { studies } = await backend.importFiles({ paths: [input], format: 'dicom' });
      const studyId = studies[0]!.id;
      const image = (await backend.getStudy({ studyId })).images[0]!;
      const mask = new Uint8Array(image.rows * image.columns);
      for (let r = 30; r < 50; r++) for (let c = 20; c < 40; c++) mask[r * image.columns + c] = 255;
      await backend.saveAnnotation({
        imageId: image.id,
        maskPng: Buffer.from(
          encode({ width: image.columns, height: image.rows, data: mask, channels: 1, depth: 8 }),
        ).toString('base64'),
        author: 'Reader One',
        findings: { decisions: [], added: [{ type: 'mass', centroidRow: 40, centroidColumn: 30 }] },
      });
      // An AI prediction as the analysis stores it (the CAD SR reports the AI's findings).
      new PredictionRepository(backend.workspace.db).save({
        imageId: image.id,
        modelId: 'test-model',
        backend: 'cpu',
        createdAt: new Date().toISOString(),
        imageScore: 0.7,
        uncertainty: 0.2,
        findingThreshold: 0.4,
        findings: [
          {
            index: 1,
            centroidRow: 40,
            centroidColumn: 30,
            bounds: { top: 30, left: 20, bottom: 49, right: 39 },
            areaPixels: 400,
            areaMm2: 4,
            maxProbability: 0.7,
            meanProbability: 0.6,
          },
        ],
        mapPath: 'predictions/none.png',
        rows: image.rows,
        columns: image.columns,
        spacingAssumed: false,
        timingsMs: { decode: 0, inference: 0, total: 0 },
      });
      await backend.savePacsNode({ name: 'orthanc', url: orthanc.dicomWebUrl, auth: 'none' });

      const expected: Record<string, string> = {
        seg: '1.2.840.10008.5.1.4.1.1.66.4',
        sr: '1.2.840.10008.5.1.4.1.1.88.50',
        pdf: '1.2.840.10008.5.1.4.1.1.104.1',
      };
      for (const kind of ['seg', 'sr', 'pdf'] as const) {
        const push = await backend.sendToPacs({ studyId, node: 'orthanc', kind });
        expect(push, kind).toMatchObject({ status: 'sent', error: null, attempts: 1, kind });
        expect(push.instances).toHaveLength(1);
        const stored = await readBack(push.instances[0]!);
        expect(dciodvfyErrors(stored, work), kind).toEqual([]);
        const dataset = readPart10(stored);
        expect(dataset['SOPClassUID']).toBe(expected[kind]);
        expect(dataset['StudyInstanceUID']).toBe(study.studyInstanceUid);
        expect(dataset['PatientID']).toBe('SEND-1');
        if (kind === 'pdf') {
          // dcmjs gives OB values as a list of buffers.
          const value = dataset['EncapsulatedDocument'] as ArrayBuffer | ArrayBuffer[];
          const pdf = new Uint8Array(Array.isArray(value) ? value[0]! : value);
          expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
          expect(dataset['MIMETypeOfEncapsulatedDocument']).toBe('application/pdf');
        }
      }

      // A node that does not answer: the push fails with a clear reason and stays in the history.
      const closedPort = await freePort();
      await backend.savePacsNode({
        name: 'backup',
        url: `http://127.0.0.1:${closedPort}/dicom-web`,
        auth: 'none',
      });
      const failed = await backend.sendToPacs({ studyId, node: 'backup', kind: 'sr' });
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(
        /PACS "backup": store failed: not reachable at 127\.0\.0\.1:\d+ \(connection refused\)/,
      );
      // The node comes back (its address fixed): the same files go again.
      await backend.savePacsNode({ name: 'backup', url: orthanc.dicomWebUrl, auth: 'none' });
      const retried = await backend.retryPacsPush({ pushId: failed.id });
      expect(retried).toMatchObject({ id: failed.id, status: 'sent', error: null, attempts: 2 });
      await expect(backend.retryPacsPush({ pushId: failed.id })).rejects.toThrow(/already sent/);

      const history = await backend.listPacsPushes({ studyId });
      expect(history.map((p) => [p.kind, p.node, p.status])).toEqual([
        ['sr', 'backup', 'sent'],
        ['pdf', 'orthanc', 'sent'],
        ['sr', 'orthanc', 'sent'],
        ['seg', 'orthanc', 'sent'],
      ]);

      // A retry refuses files that changed since their export.
      const broken = await backend.sendToPacs({ studyId, node: 'orthanc', kind: 'seg' });
      expect(broken.status).toBe('sent');
      const [file] =
        (
          backend.workspace.db.prepare('SELECT files_json FROM pacs_pushes WHERE id = ?').get(broken.id) as {
            files_json: string;
          }
        ).files_json.match(/exports\/[^"]+/) ?? [];
      writeFileSync(backend.workspace.resolvePath(file!), 'tampered');
      backend.workspace.db.prepare("UPDATE pacs_pushes SET status = 'failed' WHERE id = ?").run(broken.id);
      const refused = await backend.retryPacsPush({ pushId: broken.id });
      expect(refused).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/changed since it was exported/),
      });
      expect(readFileSync(backend.workspace.resolvePath(file!), 'utf8')).toBe('tampered');
    } finally {
      await backend.close();
    }
  });
});
