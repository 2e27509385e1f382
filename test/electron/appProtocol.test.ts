import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { respondToAppRequest } from '../../electron/appProtocol.js';
import { ImageNotFoundError } from '../../main/server/ImageFileSource.js';
import { PredictionMapNotFoundError } from '../../main/server/PredictionMapSource.js';
import { useTempDir } from '../helpers/tempDir.js';

const tempDir = useTempDir('mammo-protocol-');

function sources() {
  const dir = tempDir();
  const staticRoot = join(dir, 'bundle');
  mkdirSync(staticRoot);
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  const images = {
    read: async (id: number) => {
      if (id !== 3) throw new ImageNotFoundError(`image ${id} not found`);
      return { bytes: new Uint8Array([1, 2, 3]), contentType: 'application/dicom' as const, etag: '"x"' };
    },
  };
  const predictionMaps = {
    read: async (imageId: number, modelId: string) => {
      if (imageId !== 3 || modelId !== 'tiny-1') throw new PredictionMapNotFoundError('no prediction');
      return { bytes: new Uint8Array([9, 8]), contentType: 'image/png' as const, etag: '"m"' };
    },
  };
  return { staticRoot, images, predictionMaps };
}

const get = (url: string) => ({ url, method: 'GET' });

describe('respondToAppRequest', () => {
  it('serves the bundle with the CSP and images by id', async () => {
    const s = sources();
    const page = await respondToAppRequest(get('mammo://app/index.html'), s);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const image = await respondToAppRequest(get('mammo://app/files/images/3'), s);
    expect(image.headers.get('content-type')).toBe('application/dicom');
    // A patient's pixels stay out of every cache, as over the HTTP server.
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('serves prediction maps by image and model id only', async () => {
    const s = sources();
    const map = await respondToAppRequest(get('mammo://app/files/predictions/3?model=tiny-1'), s);
    expect(map.headers.get('content-type')).toBe('image/png');
    expect(map.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await map.arrayBuffer())).toEqual(new Uint8Array([9, 8]));
    expect((await respondToAppRequest(get('mammo://app/files/predictions/3?model=other'), s)).status).toBe(
      404,
    );
    expect((await respondToAppRequest(get('mammo://app/files/predictions/3'), s)).status).toBe(400);
    expect((await respondToAppRequest(get('mammo://app/files/predictions/3?model=..%2Fx'), s)).status).toBe(
      400,
    );
    expect((await respondToAppRequest(get('mammo://app/files/predictions/x?model=tiny-1'), s)).status).toBe(
      404,
    );
  });

  it('refuses other hosts, unknown images, paths outside the bundle and writes', async () => {
    const s = sources();
    expect((await respondToAppRequest(get('mammo://other/index.html'), s)).status).toBe(404);
    expect((await respondToAppRequest(get('mammo://app/files/images/4'), s)).status).toBe(404);
    expect((await respondToAppRequest(get('mammo://app/files/images/..%2Fsecret.txt'), s)).status).toBe(404);
    const escape = await respondToAppRequest(get('mammo://app/..%2Fsecret.txt'), s);
    expect(await escape.text()).not.toBe('secret');
    expect((await respondToAppRequest({ url: 'mammo://app/index.html', method: 'POST' }, s)).status).toBe(
      405,
    );
  });
});
