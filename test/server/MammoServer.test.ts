import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { ImageFileSource } from '../../main/server/ImageFileSource.js';
import { MAX_EVENT_STREAMS } from '../../main/server/constants.js';
import { MammoServer, type ServerAddress } from '../../main/server/MammoServer.js';
import { PredictionMapSource } from '../../main/server/PredictionMapSource.js';
import { PredictionRepository } from '../../main/db/PredictionRepository.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

const tempDir = useTempDir('mammo-server-');
const running: { server: MammoServer; backend: MammoBackend }[] = [];

afterEach(async () => {
  for (const { server, backend } of running.splice(0)) {
    await server.close();
    backend.close();
  }
});

async function startServer(): Promise<ServerAddress & { backend: MammoBackend; staticRoot: string }> {
  const dir = tempDir();
  const staticRoot = join(dir, 'bundle');
  mkdirSync(join(staticRoot, 'assets'), { recursive: true });
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(staticRoot, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the bundle');
  const backend = MammoBackend.open(join(dir, 'workspace'));
  const server = new MammoServer({
    api: backend,
    images: new ImageFileSource(backend.workspace),
    predictionMaps: new PredictionMapSource(backend.workspace),
    staticRoot,
  });
  running.push({ server, backend });
  return { ...(await server.start()), backend, staticRoot };
}

function call(
  address: ServerAddress,
  method: string,
  body: unknown,
  token = address.token,
): Promise<Response> {
  return fetch(`${address.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

describe('MammoServer', () => {
  it('listens on 127.0.0.1 only, on a random port, and prints a launch URL with a one-time code', async () => {
    const address = await startServer();
    expect(address.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(address.port).toBeGreaterThan(0);
    const launchCode = new URL(address.url).searchParams.get('token') ?? '';
    expect(address.url).toBe(`${address.origin}/?token=${launchCode}`);
    expect(launchCode.length).toBeGreaterThanOrEqual(40);
    expect(address.token.length).toBeGreaterThanOrEqual(40);
    // The code a browser keeps in its history is not the session secret.
    expect(launchCode).not.toBe(address.token);
  });

  it('refuses API, event, file and page requests without the token', async () => {
    const address = await startServer();
    expect((await call(address, 'listStudies', {}, 'wrong')).status).toBe(401);
    for (const path of [
      '/api/events',
      '/files/images/1',
      '/files/predictions/1?model=m',
      '/',
      '/assets/app.js',
    ]) {
      expect((await fetch(`${address.origin}${path}`)).status, path).toBe(401);
    }
  });

  it('swaps the launch code for an HttpOnly SameSite=Strict cookie on the first page load only', async () => {
    const address = await startServer();
    // A wrong code is refused as such, and does not spend the right one.
    const wrong = await fetch(`${address.origin}/?token=${'x'.repeat(43)}`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/invalid token/);
    const first = await fetch(address.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0] ?? '';
    const page = await fetch(`${address.origin}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<!doctype html>');

    // The link from the history opens nothing for another browser; this one is only redirected.
    const again = await fetch(address.url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toMatch(/launch link was used already/);
    const withCookie = await fetch(address.url, {
      headers: { Cookie: cookie },
      redirect: 'manual',
    });
    expect(withCookie.status).toBe(303);
    expect(withCookie.headers.get('set-cookie')).toBeNull();
  });

  it('never takes a token from the query string on API, event and file routes', async () => {
    const address = await startServer();
    const launchCode = new URL(address.url).searchParams.get('token') ?? '';
    for (const token of [launchCode, address.token]) {
      for (const path of ['/api/events', '/files/images/1', '/files/predictions/1?model=m']) {
        const separator = path.includes('?') ? '&' : '?';
        expect((await fetch(`${address.origin}${path}${separator}token=${token}`)).status, path).toBe(401);
      }
      const api = await fetch(`${address.origin}/api/listStudies?token=${token}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: address.origin },
        body: '{}',
      });
      expect(api.status).toBe(401);
    }
    // Refused there, the launch code was not spent: the first page load still works.
    expect((await fetch(address.url, { redirect: 'manual' })).status).toBe(303);
  });

  it('refuses a state-changing request from a foreign origin, and one by cookie without Origin', async () => {
    const address = await startServer();
    const cookie =
      ((await fetch(address.url, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(';')[0] ??
      '';
    const post = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${address.origin}/api/listStudies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: '{}',
      });
    const bearer = `Bearer ${address.token}`;
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${address.port + 1}`]) {
      expect((await post({ Cookie: cookie, Origin: origin })).status, origin).toBe(403);
      expect((await post({ Authorization: bearer, Origin: origin })).status, origin).toBe(403);
    }
    expect((await post({ Cookie: cookie })).status).toBe(403);
    expect((await post({ Cookie: cookie, Origin: address.origin })).status).toBe(200);
    expect((await post({ Cookie: cookie, Origin: `http://localhost:${address.port}` })).status).toBe(200);
    expect((await post({ Authorization: bearer })).status).toBe(200);
    // Reading is not changing: a page GET carries no Origin and is served.
    expect((await fetch(`${address.origin}/`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it(`caps open event streams at ${MAX_EVENT_STREAMS} with a 429, and frees a slot when one closes`, async () => {
    const address = await startServer();
    const open = async (): Promise<{ response: Response; controller: AbortController }> => {
      const controller = new AbortController();
      const response = await fetch(`${address.origin}/api/events`, {
        headers: { Authorization: `Bearer ${address.token}` },
        signal: controller.signal,
      });
      return { response, controller };
    };
    const streams = [];
    for (let i = 0; i < MAX_EVENT_STREAMS; i++) streams.push(await open());
    expect(streams.map((stream) => stream.response.status)).toEqual(Array(MAX_EVENT_STREAMS).fill(200));
    const refused = await open();
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('10');
    expect(((await refused.response.json()) as { error: string }).error).toMatch(
      /too many open event streams/,
    );

    streams.pop()?.controller.abort();
    await expect
      .poll(async () => {
        const next = await open();
        if (next.response.status === 200) streams.push(next);
        else await next.response.body?.cancel();
        return next.response.status;
      })
      .toBe(200);
    for (const stream of streams) stream.controller.abort();
  });

  it('refuses a Host header other than the loopback address (DNS rebinding)', async () => {
    const address = await startServer();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: address.port,
          path: '/api/listStudies',
          method: 'POST',
          headers: { Host: 'evil.example', Authorization: `Bearer ${address.token}` },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('answers 409 with a reason, not 500, when the state refuses a request (nothing to roll back)', async () => {
    const address = await startServer();
    const rollback = await call(address, 'rollbackModel', {});
    expect(rollback.status).toBe(409);
    expect(((await rollback.json()) as { error: string }).error).toMatch(/nothing to roll back/);
    const promote = await call(address, 'promoteModel', { modelId: 'no-such-model' });
    expect(promote.status).toBe(409);
  });

  it('dispatches API methods, answers 400 with the zod message and 404 for unknown methods', async () => {
    const address = await startServer();
    const empty = await call(address, 'listStudies', {});
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual([]);

    const bad = await call(address, 'importFiles', { paths: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/paths/);

    expect((await call(address, 'getStudy', { studyId: 'x' })).status).toBe(400);
    expect((await call(address, 'toString', {})).status).toBe(404);
    expect((await call(address, '__proto__', {})).status).toBe(404);
    const get = await fetch(`${address.origin}/api/listStudies`, {
      headers: { Authorization: `Bearer ${address.token}` },
    });
    expect(get.status).toBe(405);
  });

  it('streams import progress as server-sent events and serves images as DICOM by id', async () => {
    const address = await startServer();
    const controller = new AbortController();
    const events = await fetch(`${address.origin}/api/events`, {
      headers: { Authorization: `Bearer ${address.token}` },
      signal: controller.signal,
    });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = events.body?.getReader();
    let streamed = '';
    const reading = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        streamed += new TextDecoder().decode(chunk.value);
        if ((streamed.match(/event: mammo:import.progress/g) ?? []).length >= 6) break;
      }
    })();

    const imported = await call(address, 'importFiles', { paths: [MIAS_FIXTURE], format: 'mias' });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { imported: number }).imported).toBe(6);
    await reading;
    controller.abort();
    expect(streamed).toContain('"total":6');

    const [study] = (await (await call(address, 'listStudies', {})).json()) as { id: number }[];
    const detail = (await (await call(address, 'getStudy', { studyId: study?.id })).json()) as {
      images: { id: number; laterality: string }[];
    };
    const image = detail.images[0];
    expect(image).toBeDefined();
    const file = await fetch(`${address.origin}/files/images/${image?.id}`, {
      headers: { Authorization: `Bearer ${address.token}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/dicom');
    expect(file.headers.get('cache-control')).toBe('no-store');
    const dataSet = dicomParser.parseDicom(new Uint8Array(await file.arrayBuffer()));
    expect(dataSet.string('x00200062')).toBe(image?.laterality);
    expect(dataSet.string('x00185101')).toBe('MLO');
    expect(dataSet.string('x00280030')).toBe('0.2\\0.2');
    expect(dataSet.uint16('x00280010')).toBe(1024);
    expect(dataSet.string('x00200020')).toMatch(/^[AP]\\F$/);
  });

  it('serves a cached prediction map by image and model id only', async () => {
    const address = await startServer();
    const { backend } = address;
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const [study] = await backend.listStudies({});
    const image = (await backend.getStudy({ studyId: study!.id })).images[0]!;
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    const mapPath = 'predictions/m-1/map.png';
    mkdirSync(backend.workspace.resolvePath('predictions/m-1'), { recursive: true });
    writeFileSync(backend.workspace.resolvePath(mapPath), png);
    new PredictionRepository(backend.workspace.db).save({
      imageId: image.id,
      modelId: 'm-1',
      backend: 'wasm',
      createdAt: '2026-01-02T03:04:05.000Z',
      imageScore: 0.5,
      uncertainty: 0.1,
      findingThreshold: 0.2,
      findings: [],
      mapPath,
      rows: image.rows,
      columns: image.columns,
      spacingAssumed: false,
      timingsMs: { decode: 1, inference: 1, total: 2 },
    });
    const auth = { Authorization: `Bearer ${address.token}` };
    const url = `${address.origin}/files/predictions/${image.id}?model=m-1`;
    const map = await fetch(url, { headers: auth });
    expect(map.status).toBe(200);
    expect(map.headers.get('content-type')).toBe('image/png');
    expect(map.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await map.arrayBuffer())).toEqual(png);
    const etag = map.headers.get('etag') ?? '';
    expect((await fetch(url, { headers: { ...auth, 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(url)).status).toBe(401);

    const paths: [string, number][] = [
      [`/files/predictions/${image.id}?model=other`, 404],
      [`/files/predictions/${image.id}`, 400],
      [`/files/predictions/${image.id}?model=..%2F..%2Fsecret`, 400],
      [`/files/predictions/..%2F${mapPath}?model=m-1`, 404],
      ['/files/predictions/999?model=m-1', 404],
    ];
    for (const [path, status] of paths) {
      expect((await fetch(`${address.origin}${path}`, { headers: auth })).status, path).toBe(status);
    }
  });

  it('never serves a file outside the bundle or an image by anything but a stored id', async () => {
    const address = await startServer();
    const auth = { Authorization: `Bearer ${address.token}` };
    for (const path of [
      '/files/images/..%2F..%2Fsecret.txt',
      '/files/images/0',
      '/files/images/1e3',
      '/files/images/999',
    ]) {
      expect((await fetch(`${address.origin}${path}`, { headers: auth })).status, path).toBe(404);
    }
    for (const path of ['/..%2Fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/%2e%2e/secret.txt']) {
      const response = await fetch(`${address.origin}${path}`, { headers: auth });
      expect(await response.text(), path).not.toContain('outside the bundle');
    }
  });
});
