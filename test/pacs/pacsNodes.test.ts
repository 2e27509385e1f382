import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { ApiInputError, callApiMethod } from '../../main/server/apiDispatch.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('PACS node settings through the API', () => {
  const tempDir = useTempDir();

  it('refuses credentials in the URL, keeps a stored secret when none is sent, clears it with auth none', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    try {
      await expect(
        callApiMethod(backend, 'savePacsNode', {
          name: 'p',
          url: 'https://user:pw@pacs/dicom-web',
          auth: 'none',
        }),
      ).rejects.toThrow(ApiInputError);
      await expect(
        callApiMethod(backend, 'savePacsNode', { name: 'p', url: 'ftp://pacs/dicom-web', auth: 'none' }),
      ).rejects.toThrow(/http:\/\/ or https:\/\//);
      await expect(
        callApiMethod(backend, 'savePacsNode', {
          name: 'p',
          url: 'https://pacs/dicom-web',
          auth: 'basic',
          secret: 'x',
        }),
      ).rejects.toThrow(/basic auth needs a user name/);

      await callApiMethod(backend, 'savePacsNode', {
        name: 'p',
        url: 'https://pacs/dicom-web',
        auth: 'bearer',
        secret: 'token-1',
      });
      // Changing the URL without sending the secret keeps it.
      const changed = await callApiMethod(backend, 'savePacsNode', {
        name: 'p',
        url: 'https://pacs2/dicom-web',
        auth: 'bearer',
      });
      expect(changed).toMatchObject({ url: 'https://pacs2/dicom-web', hasSecret: true });
      expect(backend.workspace.db.prepare("SELECT secret FROM pacs_nodes WHERE name = 'p'").get()).toEqual({
        secret: 'token-1',
      });
      const none = await callApiMethod(backend, 'savePacsNode', {
        name: 'p',
        url: 'https://pacs2/dicom-web',
        auth: 'none',
      });
      expect(none).toMatchObject({ hasSecret: false });
      expect(JSON.stringify(await callApiMethod(backend, 'listPacsNodes', {}))).not.toContain('token-1');
      await callApiMethod(backend, 'removePacsNode', { name: 'p' });
      expect(await callApiMethod(backend, 'listPacsNodes', {})).toEqual([]);
      await expect(callApiMethod(backend, 'removePacsNode', { name: 'p' })).rejects.toThrow(
        'PACS node "p" not found',
      );
    } finally {
      await backend.close();
    }
  });
});
