import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_EVENTS } from '../../main/api/contract.js';
import type { DicomListenerReceived } from '../../main/api/pacs.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { freePort } from '../helpers/orthanc.js';
import { useTempDir } from '../helpers/tempDir.js';
import { nonBreastInstance, screeningStudy } from './pacsStudies.js';

/** DCMTK's storescu: exit status and output. */
function storescu(
  callingAe: string,
  port: number,
  files: string[],
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('storescu', [
      '-v',
      '-aet',
      callingAe,
      '-aec',
      'MAMMO',
      '127.0.0.1',
      String(port),
      ...files,
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe('DICOM listener (C-STORE SCP) fed by DCMTK storescu', () => {
  const tempDir = useTempDir();

  it('is off by default; accepts only configured calling AE titles; imports through the import path; survives a flood', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    try {
      expect(await backend.getDicomListener({})).toMatchObject({ enabled: false, listening: false });
      const port = await freePort();
      const status = await backend.setDicomListener({
        enabled: true,
        port,
        aeTitle: 'MAMMO',
        allowedCallingAeTitles: ['MODALITY1'],
      });
      expect(status).toMatchObject({ enabled: true, listening: true, port });

      const study = screeningStudy({
        patientId: 'LISTEN-1',
        patientName: 'Listen^Test',
        studyDate: '20240501',
        accessionNumber: 'ACC-L',
      });
      const dir = tempDir();
      const files = study.instances.map((instance, index) => {
        const file = join(dir, `view${index}.dcm`);
        writeFileSync(file, instance.file);
        return file;
      });
      const ct = join(dir, 'ct.dcm');
      writeFileSync(ct, nonBreastInstance(study));

      // An unknown calling AE title is rejected at association: nothing is imported.
      const intruder = await storescu('INTRUDER', port, files);
      expect(intruder.status).not.toBe(0);
      expect(intruder.output).toMatch(/Association Rejected|Calling AE Title Not Recognized/i);
      expect(await backend.listStudies({})).toEqual([]);

      // A flood of connections that never speak (and one that sends garbage) does not stop it.
      const flood: Socket[] = [];
      for (let i = 0; i < 60; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        flood.push(socket);
      }
      flood[0]!.write(Buffer.alloc(64, 0xff));

      const received: DicomListenerReceived[] = [];
      const stop = backend.subscribe(API_EVENTS.dicomReceived, (event) => received.push(event));
      const pushed = await storescu('MODALITY1', port, [...files, ct]);
      stop();
      for (const socket of flood) socket.destroy();
      // storescu reports the refused CT slice (a C-STORE failure status) and goes on.
      expect(pushed.output.match(/Received Store Response \(Success\)/g)).toHaveLength(4);
      expect(pushed.output).toMatch(/Received Store Response \(Error: CannotUnderstand\)/);
      expect(pushed.status).not.toBe(0);
      expect(received.map((r) => r.outcome).sort()).toEqual([
        'error',
        'imported',
        'imported',
        'imported',
        'imported',
      ]);
      expect(received.find((r) => r.outcome === 'error')!.reason).toMatch(
        /modality CT \(CHEST\) is not breast imaging/,
      );

      const [imported] = await backend.listStudies({});
      expect(imported).toMatchObject({
        patientId: 'LISTEN-1',
        imageCount: 4,
        views: ['LCC', 'LMLO', 'RCC', 'RMLO'],
      });
      // Eight senders at once with the same instances: every store answered, none duplicated.
      const together = await Promise.all(Array.from({ length: 8 }, () => storescu('MODALITY1', port, files)));
      expect(together.map((run) => run.status)).toEqual(Array(8).fill(0));
      expect((await backend.listStudies({}))[0]).toMatchObject({ imageCount: 4 });
      expect(await backend.getDicomListener({})).toMatchObject({ received: 37, rejectedAssociations: 1 });

      const off = await backend.setDicomListener({
        enabled: false,
        port,
        aeTitle: 'MAMMO',
        allowedCallingAeTitles: [],
      });
      expect(off.listening).toBe(false);
      expect((await storescu('MODALITY1', port, files)).status).not.toBe(0);
    } finally {
      await backend.close();
    }
  });
});
