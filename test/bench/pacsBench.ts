import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { freePort, OrthancServer } from '../helpers/orthanc.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';

/** Instances of the bench study and their size: a screening study's worth of full-field images. */
const INSTANCES = 8;
const ROWS = 2048;
const COLUMNS = 1664;

/**
 * PACS throughput on loopback, the same generated study (8 MG images of 2048 x 1664, 16-bit) each
 * way, each into a fresh workspace:
 * - direct file import (the baseline);
 * - WADO-RS retrieve from Orthanc (fetch + the same import), and Orthanc's own REST download of
 *   the same files (what the PACS alone takes);
 * - C-STORE into the workstation's listener (dcmjs-dimse, receive + the same import), pushed by
 *   DCMTK's storescu, against DCMTK's storescp receiving the same files (receive only, no import):
 *   the measurement behind the listener's choice of library.
 */
export async function pacsBench(): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'mammo-pacs-bench-'));
  const orthanc = await OrthancServer.start();
  try {
    const source = join(root, 'study');
    mkdirSync(source);
    const studyInstanceUid = testUid();
    let bytes = 0;
    for (let i = 0; i < INSTANCES; i++) {
      const file = writeSyntheticDicom({
        rows: ROWS,
        columns: COLUMNS,
        bitsAllocated: 16,
        bitsStored: 14,
        patientId: 'BENCH',
        studyInstanceUid,
        seriesInstanceUid: `${studyInstanceUid}.${i + 1}`,
        imageLaterality: i % 2 ? 'L' : 'R',
        viewPosition: i % 4 < 2 ? 'CC' : 'MLO',
      });
      bytes += file.length;
      writeFileSync(join(source, `${i}.dcm`), file);
      await orthanc.store(file);
    }
    const files = readdirSync(source).map((f) => join(source, f));
    const rate = (seconds: number): Record<string, number> => ({
      seconds: +seconds.toFixed(3),
      instancesPerSecond: +(INSTANCES / seconds).toFixed(2),
      megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
    });

    const direct = await timed(root, async (backend) => {
      const result = await backend.importFiles({ paths: [source], format: 'dicom' });
      if (result.imported !== INSTANCES) throw new Error(`direct import: ${JSON.stringify(result.errors)}`);
    });
    const retrieve = await timed(root, async (backend) => {
      await backend.savePacsNode({ name: 'bench', url: orthanc.dicomWebUrl, auth: 'none' });
      const result = await backend.retrievePacsStudy({ node: 'bench', studyInstanceUid });
      if (result.imported !== INSTANCES) throw new Error(`retrieve: ${JSON.stringify(result.errors)}`);
    });
    // What the PACS itself takes to hand out the same files (its REST API, no DICOMweb, no import):
    // the floor under the retrieve on this machine.
    const orthancStart = performance.now();
    for (const id of (await (await orthanc.rest('/instances')).json()) as string[])
      await (await orthanc.rest(`/instances/${id}/file`)).arrayBuffer();
    const orthancFiles = (performance.now() - orthancStart) / 1000;
    const listener = await timed(root, async (backend) => {
      const port = await freePort();
      await backend.setDicomListener({
        enabled: true,
        port,
        aeTitle: 'MAMMO',
        allowedCallingAeTitles: ['BENCH'],
      });
      await exitOf(
        spawn('storescu', ['-aet', 'BENCH', '-aec', 'MAMMO', '127.0.0.1', String(port), ...files]),
      );
      const [study] = await backend.listStudies({});
      if (study?.imageCount !== INSTANCES) throw new Error('listener: not every instance was imported');
    });
    const storescpSeconds = await storescpReceive(root, files);
    return {
      instances: INSTANCES,
      megabytes: +(bytes / 1e6).toFixed(1),
      directImport: rate(direct),
      dicomwebRetrieve: rate(retrieve),
      orthancRestDownloadOnly: rate(orthancFiles),
      listenerDcmjsDimseWithImport: rate(listener),
      storescpReceiveOnly: rate(storescpSeconds),
    };
  } finally {
    await orthanc.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function timed(root: string, run: (backend: MammoBackend) => Promise<void>): Promise<number> {
  const backend = MammoBackend.open(mkdtempSync(join(root, 'ws-')), {
    shippedModelsDir: mkdtempSync(join(root, 'm-')),
  });
  try {
    const start = performance.now();
    await run(backend);
    return (performance.now() - start) / 1000;
  } finally {
    await backend.close();
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', resolve));
}

/** storescu into DCMTK's storescp (which writes each instance to a file, nothing more). */
async function storescpReceive(root: string, files: string[]): Promise<number> {
  const port = await freePort();
  const out = mkdtempSync(join(root, 'storescp-'));
  const scp = spawn('storescp', ['-aet', 'MAMMO', '-od', out, String(port)]);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const start = performance.now();
    await exitOf(spawn('storescu', ['-aet', 'BENCH', '-aec', 'MAMMO', '127.0.0.1', String(port), ...files]));
    return (performance.now() - start) / 1000;
  } finally {
    const exited = exitOf(scp);
    scp.kill('SIGTERM');
    await exited;
  }
}
