import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../main/api/importing.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { AuditLog } from '../../main/db/AuditLog.js';
import { sha256Hex } from '../../main/common/sha256.js';
import { MAX_FILE_BYTES } from '../../main/imaging/limits.js';
import { ImageFileSource } from '../../main/server/ImageFileSource.js';
import { ImportUploads, UploadRefusedError } from '../../main/server/ImportUploads.js';
import { MammoServer, type ServerAddress } from '../../main/server/MammoServer.js';
import { PredictionMapSource } from '../../main/server/PredictionMapSource.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

const tempDir = useTempDir('mammo-uploads-');
const running: { server: MammoServer; backend: MammoBackend }[] = [];

afterEach(async () => {
  for (const { server, backend } of running.splice(0)) {
    await server.close();
    backend.close();
  }
});

async function startServer(): Promise<ServerAddress & { backend: MammoBackend }> {
  const backend = MammoBackend.open(join(tempDir(), 'workspace'));
  const server = new MammoServer({
    api: backend,
    images: new ImageFileSource(backend.workspace),
    predictionMaps: new PredictionMapSource(backend.workspace),
    uploads: new ImportUploads(backend.workspace.root, backend),
    staticRoot: tempDir(),
  });
  running.push({ server, backend });
  return { ...(await server.start()), backend };
}

function send(
  address: ServerAddress,
  method: string,
  path: string,
  body?: Uint8Array,
  headers: Record<string, string> = { Authorization: `Bearer ${address.token}` },
): Promise<Response> {
  return fetch(`${address.origin}/files/uploads${path}`, { method, headers, ...(body ? { body } : {}) });
}

async function begin(address: ServerAddress): Promise<string> {
  const response = await send(address, 'POST', '');
  expect(response.status).toBe(201);
  return ((await response.json()) as { uploadId: string }).uploadId;
}

function put(address: ServerAddress, id: string, name: string, bytes: Uint8Array): Promise<Response> {
  return send(address, 'PUT', `/${id}?name=${encodeURIComponent(name)}`, bytes);
}

/** The file names the audit log gives the imported images, sorted. */
function importedNames(backend: MammoBackend): string[] {
  return new AuditLog(backend.workspace.db)
    .list(1000)
    .filter((entry) => entry.action === 'image.imported')
    .map((entry) => (entry.details as { file: string }).file)
    .sort();
}

/** Entries a live or crashed upload leaves in the workspace. */
function uploadFolders(root: string): string[] {
  return readdirSync(root).filter((name) => name.startsWith('.upload.'));
}

describe('uploads for import (browser drag and drop)', () => {
  it('imports uploaded DICOM files byte for byte, names a non-DICOM file as uploaded, and cleans up', async () => {
    const address = await startServer();
    const study = { patientId: 'UP-1', studyInstanceUid: testUid(), viewPosition: 'CC' };
    const right = writeSyntheticDicom({ ...study, imageLaterality: 'R' });
    const left = writeSyntheticDicom({ ...study, imageLaterality: 'L' });
    const id = await begin(address);
    expect(uploadFolders(address.backend.workspace.root)).toHaveLength(1);
    for (const [name, bytes] of [
      ['study/R CC.dcm', right],
      ['study/sub/L CC.dcm', left],
      ['study/README.txt', Buffer.from('read me\n')],
    ] as const) {
      expect((await put(address, id, name, bytes)).status, name).toBe(204);
    }

    const response = await send(address, 'POST', `/${id}/import?format=dicom`);
    expect(response.status).toBe(200);
    const result = (await response.json()) as ImportResult;
    expect(result.imported).toBe(2);
    expect(result.errors).toEqual([
      { file: 'study/README.txt', reason: expect.stringMatching(/not a DICOM file/), notDicom: true },
    ]);
    expect(result.studies.map((study) => study.patientId)).toEqual(['UP-1']);
    // What the store holds is exactly what was sent.
    const detail = await address.backend.getStudy({ studyId: result.studies[0]!.id });
    const stored = detail.images.map((image) =>
      sha256Hex(readFileSync(address.backend.workspace.resolvePath(image.path))),
    );
    expect(stored.sort()).toEqual([sha256Hex(right), sha256Hex(left)].sort());
    // The audit log names the files as the user dropped them, never the temp copies.
    expect(importedNames(address.backend)).toEqual(['study/R CC.dcm', 'study/sub/L CC.dcm']);
    expect(JSON.stringify(new AuditLog(address.backend.workspace.db).list(1000))).not.toContain('.upload.');
    expect(uploadFolders(address.backend.workspace.root)).toEqual([]);
    // The upload is gone with its folder.
    expect((await send(address, 'POST', `/${id}/import`)).status).toBe(404);
  });

  it('imports a mini-MIAS folder dropped whole', async () => {
    const address = await startServer();
    const id = await begin(address);
    const files = ['annotations.csv', ...readdirSync(join(MIAS_FIXTURE, 'images')).map((f) => `images/${f}`)];
    for (const file of files) {
      const response = await put(address, id, `mias/${file}`, readFileSync(join(MIAS_FIXTURE, file)));
      expect(response.status, file).toBe(204);
    }
    const result = (await (await send(address, 'POST', `/${id}/import?format=mias`)).json()) as ImportResult;
    expect(result.imported).toBe(files.length - 1);
    expect(result.errors).toEqual([]);
    expect(importedNames(address.backend)).toEqual(
      files.filter((file) => file.startsWith('images/')).map((file) => `mias/${file}`),
    );
    expect(JSON.stringify(new AuditLog(address.backend.workspace.db).list(1000))).not.toContain('.upload.');
  });

  it('refuses names that leave the folder, twice-sent names, unknown uploads and an empty import', async () => {
    const address = await startServer();
    const id = await begin(address);
    const bytes = Buffer.from('x');
    for (const name of ['../escape.dcm', '/etc/passwd', 'a/../../b', 'a//b', '', 'c:\\x', 'a\\..\\b']) {
      const response = await put(address, id, name, bytes);
      expect(response.status, name).toBe(400);
    }
    expect((await send(address, 'POST', `/${id}/import`)).status).toBe(400);
    expect((await put(address, id, 'a/b.dcm', bytes)).status).toBe(204);
    const twice = await put(address, id, 'A/B.dcm', bytes);
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as { error: string }).error).toMatch(/uploaded twice/);
    expect((await put(address, 'ffffffffffff', 'x.dcm', bytes)).status).toBe(404);
    expect((await send(address, 'POST', `/${id}/import?format=png`)).status).toBe(400);
    // Nothing was written outside the upload folder.
    const written = readdirSync(address.backend.workspace.root, { recursive: true }).map(String);
    expect(written.filter((path) => path.includes('escape') || path.endsWith('passwd'))).toEqual([]);
    expect((await send(address, 'DELETE', `/${id}`)).status).toBe(204);
    expect(uploadFolders(address.backend.workspace.root)).toEqual([]);
  });

  it('needs the token, and the page origin for a cookie', async () => {
    const address = await startServer();
    expect((await send(address, 'POST', '', undefined, {})).status).toBe(401);
    const cookie = `mammo_token_${address.port}=${address.token}`;
    expect((await send(address, 'POST', '', undefined, { Cookie: cookie })).status).toBe(403);
    const foreign = { Cookie: cookie, Origin: 'http://evil.example' };
    expect((await send(address, 'POST', '', undefined, foreign)).status).toBe(403);
    const own = { Cookie: cookie, Origin: address.origin };
    expect((await send(address, 'POST', '', undefined, own)).status).toBe(201);
    expect(uploadFolders(address.backend.workspace.root)).toHaveLength(1);
  });

  it('refuses a file declared larger than the import limit before reading it', async () => {
    const address = await startServer();
    const id = await begin(address);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${address.origin}/files/uploads/${id}?name=big.dcm`,
        {
          method: 'PUT',
          headers: { Authorization: `Bearer ${address.token}`, 'Content-Length': MAX_FILE_BYTES + 1 },
        },
        (response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it('stops a streamed file at the limit and keeps no part of it', async () => {
    const root = tempDir();
    const uploads = new ImportUploads(root, {
      importFiles: () => Promise.reject(new Error('not reached')),
    });
    const id = uploads.begin();
    const chunk = new Uint8Array(4 << 20);
    async function* oversize(): AsyncGenerator<Uint8Array> {
      for (let sent = 0; sent <= MAX_FILE_BYTES; sent += chunk.length) yield chunk;
    }
    const refused = await uploads.receive(id, 'big.dcm', oversize()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UploadRefusedError);
    expect((refused as UploadRefusedError).status).toBe(413);
    const [folder] = uploadFolders(root);
    expect(readdirSync(join(root, folder!))).toEqual([]);
    // The name is free again once the failed file is gone.
    await uploads.receive(
      id,
      'big.dcm',
      (async function* () {
        yield new Uint8Array([1, 2, 3]);
      })(),
    );
    expect(readFileSync(join(root, folder!, 'big.dcm'))).toEqual(Buffer.from([1, 2, 3]));
    uploads.close();
    expect(uploadFolders(root)).toEqual([]);
  });

  it('drops an upload left unused for longer than a stale temp file, and caps open uploads', () => {
    const root = tempDir();
    let now = 0;
    const uploads = new ImportUploads(root, { importFiles: () => Promise.reject(new Error('x')) }, () => now);
    const ids = [uploads.begin(), uploads.begin(), uploads.begin(), uploads.begin()];
    expect(() => uploads.begin()).toThrow(/at most 4 uploads/);
    now = 11 * 60 * 1000;
    uploads.begin();
    expect(uploadFolders(root)).toHaveLength(1);
    expect(() => uploads.discard(ids[0]!)).toThrow(/no such upload/);
  });
});
