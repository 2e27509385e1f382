import { describe, expect, it } from 'vitest';
import { createWorker } from '../../main/common/createWorker.js';

describe('createWorker', () => {
  it('runs a TypeScript worker that imports other TypeScript modules', async () => {
    const worker = createWorker(new URL('./fixtures/echoWorker.ts', import.meta.url), {
      workerData: { hello: 1 },
    });
    const [message, exitCode] = await Promise.all([
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
      new Promise((resolve) => worker.once('exit', resolve)),
    ]);
    expect(message).toEqual({ received: { hello: 1 }, described: '1.2.840.10008.1.2.4.100 (MPEG2)' });
    expect(exitCode).toBe(0);
  });

  it('refuses non-file URLs', () => {
    expect(() => createWorker(new URL('https://example.com/w.js'))).toThrow(/only file: URLs/);
  });
});
