/**
 * A real PACS for tests: Debian's Orthanc with its DICOMweb plugin, started on 127.0.0.1 with a
 * temporary configuration (free HTTP and DICOM ports, storage in a temporary folder, an AE title)
 * and stopped afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface OrthancOptions {
  /** HTTP basic users, e.g. `{ alice: 'secret' }`; none means no authentication. */
  users?: Record<string, string>;
  /** DICOM peers that may C-STORE into Orthanc / be reached by it: AE -> [host, port]. */
  modalities?: Record<string, [string, number]>;
  aeTitle?: string;
}

/** A free TCP port on the loopback interface (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class OrthancServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    readonly httpPort: number,
    readonly dicomPort: number,
    readonly aeTitle: string,
    private readonly users: Record<string, string> | undefined,
  ) {}

  static async start(options: OrthancOptions = {}): Promise<OrthancServer> {
    // A missing PACS fails the tests (never a skip): .ci/run installs both packages.
    for (const needed of [ORTHANC_BINARY, DICOMWEB_PLUGIN])
      if (!existsSync(needed))
        throw new Error(`${needed} is missing: apt-get install orthanc orthanc-dicomweb`);
    const folder = mkdtempSync(join(tmpdir(), 'mammo-orthanc-'));
    const httpPort = await freePort();
    const dicomPort = await freePort();
    const aeTitle = options.aeTitle ?? 'ORTHANC_TEST';
    const config = {
      Name: 'mammo-test',
      StorageDirectory: join(folder, 'storage'),
      IndexDirectory: join(folder, 'storage'),
      HttpPort: httpPort,
      DicomPort: dicomPort,
      DicomAet: aeTitle,
      RemoteAccessAllowed: false,
      HttpBindAddress: '127.0.0.1',
      DicomBindAddress: '127.0.0.1',
      AuthenticationEnabled: options.users !== undefined,
      RegisteredUsers: options.users ?? {},
      DicomModalities: options.modalities ?? {},
      DicomCheckCalledAet: false,
      Plugins: [DICOMWEB_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      ConcurrentJobs: 1,
      HttpThreadsCount: 8,
    };
    const configFile = join(folder, 'orthanc.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const child = spawn(ORTHANC_BINARY, [configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    const server = new OrthancServer(child, folder, httpPort, dicomPort, aeTitle, options.users);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Orthanc exited (${child.exitCode}): ${log}`);
      if (await server.answers()) return server;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await server.stop();
    throw new Error(`Orthanc did not answer within 20 s: ${log}`);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** The DICOMweb base URL. */
  get dicomWebUrl(): string {
    return `${this.origin}/dicom-web`;
  }

  /** Stores one Part 10 file through Orthanc's REST API. */
  async store(file: Uint8Array): Promise<void> {
    const response = await this.rest('/instances', { method: 'POST', body: file });
    if (!response.ok)
      throw new Error(`Orthanc refused an instance: ${response.status} ${await response.text()}`);
  }

  /** Orthanc's REST API with the first registered user's credentials. */
  rest(path: string, init: RequestInit = {}): Promise<Response> {
    const [user] = Object.entries(this.users ?? {});
    const headers = new Headers(init.headers);
    if (user)
      headers.set('Authorization', `Basic ${Buffer.from(`${user[0]}:${user[1]}`).toString('base64')}`);
    return fetch(`${this.origin}${path}`, { ...init, headers });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.folder, { recursive: true, force: true });
  }

  /** GET /system answers. */
  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const [user] = Object.entries(this.users ?? {});
      const request = httpRequest(
        `${this.origin}/system`,
        {
          timeout: 1000,
          ...(user ? { auth: `${user[0]}:${user[1]}` } : {}),
        },
        (response) => {
          response.resume();
          resolve(response.statusCode === 200);
        },
      );
      request.on('error', () => resolve(false));
      request.on('timeout', () => request.destroy());
      request.end();
    });
  }
}
