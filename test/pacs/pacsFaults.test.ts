import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { freePort } from '../helpers/orthanc.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('PACS faults: each a clear one-line error', () => {
  const tempDir = useTempDir();

  async function withNode(url: string, run: (backend: MammoBackend) => Promise<void>): Promise<void> {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir(), pacsTimeoutMs: 500 });
    try {
      await backend.savePacsNode({ name: 'pacs', url, auth: 'bearer', secret: 'token-never-shown' });
      await run(backend);
    } finally {
      await backend.close();
    }
  }

  it('PACS down: connection refused', async () => {
    const port = await freePort();
    await withNode(`http://127.0.0.1:${port}/dicom-web`, async (backend) => {
      await expect(backend.queryPacs({ node: 'pacs' })).rejects.toThrow(
        `PACS "pacs": study search failed: not reachable at 127.0.0.1:${port} (connection refused)`,
      );
    });
  });

  it('PACS slow: a server that accepts and never answers times out', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await withNode(`http://127.0.0.1:${port}/dicom-web`, async (backend) => {
        const started = performance.now();
        const retrieve = backend.retrievePacsStudy({ node: 'pacs', studyInstanceUid: '1.2.3' });
        await expect(retrieve).rejects.toThrow(/PACS "pacs": instance search failed: no answer within 1 s/);
        expect(performance.now() - started).toBeLessThan(5000);
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('TLS error: a server whose certificate is self-signed (not trusted)', async () => {
    // Debian's Orthanc 1.10 resets its own HTTPS connections here, so the TLS endpoint is
    // Node's https server with a fresh self-signed certificate: what is tested is the client.
    const dir = tempDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_request, response) => response.end('[]'),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const { port } = tls.address() as { port: number };
    try {
      await withNode(`https://127.0.0.1:${port}/dicom-web`, async (backend) => {
        const test = await backend.testPacsNode({ name: 'pacs' });
        expect(test.dicomweb.ok).toBe(false);
        expect(test.dicomweb.message).toBe(
          `PACS "pacs": study search failed: TLS error: its certificate is self-signed and not trusted (DEPTH_ZERO_SELF_SIGNED_CERT) at https://127.0.0.1:${port}`,
        );
      });
    } finally {
      tls.close();
    }
  });
});
