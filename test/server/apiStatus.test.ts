import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { ImageFileSource } from '../../main/server/ImageFileSource.js';
import { MammoServer } from '../../main/server/MammoServer.js';
import { PredictionMapSource } from '../../main/server/PredictionMapSource.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

/** What a client asked for that the workspace does not have is a 404 naming it, not a server fault. */
describe('API status of a request for something unknown', () => {
  const tempDir = useTempDir('mammo-status-');

  it('answers 404 for an unknown model, image, study or annotation', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bundle'));
    const backend = MammoBackend.open(join(dir, 'workspace'));
    const server = new MammoServer({
      api: backend,
      images: new ImageFileSource(backend.workspace),
      predictionMaps: new PredictionMapSource(backend.workspace),
      staticRoot: join(dir, 'bundle'),
    });
    const { origin, token } = await server.start();
    const call = async (method: string, body: unknown) => {
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    try {
      const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
      const image = (await backend.getStudy({ studyId: studies[0]!.id })).images[0]!;
      expect(await call('analyzeImage', { imageId: image.id, modelId: 'no-such-model' })).toEqual({
        status: 404,
        body: { error: 'model no-such-model not found' },
      });
      expect(await call('analyzeStudy', { studyId: studies[0]!.id, modelId: 'no-such-model' })).toEqual({
        status: 404,
        body: { error: 'model no-such-model not found' },
      });
      expect(await call('getStudy', { studyId: 9999 })).toEqual({
        status: 404,
        body: { error: 'study 9999 not found' },
      });
      expect(await call('getAnnotationMask', { annotationId: 9999 })).toEqual({
        status: 404,
        body: { error: 'annotation 9999 not found' },
      });
    } finally {
      await server.close();
      await backend.close();
    }
  });
});
