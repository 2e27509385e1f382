import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import { gradientPixels, writeSyntheticDicom } from '../helpers/syntheticDicom.js';

let dir: string;
let small: string;
let large: string;
const smallPixels = gradientPixels(32, 24, 12);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'decode-pool-'));
  small = join(dir, 'small.dcm');
  large = join(dir, 'large.dcm');
  await writeFile(
    small,
    writeSyntheticDicom({
      rows: 32,
      columns: 24,
      bitsStored: 12,
      pixels: smallPixels,
      windowCenter: 2048,
      windowWidth: 4096,
    }),
  );
  // Big enough that a decode is still running when the test aborts or closes it.
  await writeFile(large, writeSyntheticDicom({ rows: 2048, columns: 1536, bitsStored: 12 }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isAbortError = (e: unknown) => e instanceof Error && e.name === 'AbortError';

describe('DecodePool', () => {
  it('decodes in a worker and transfers the pixels back', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      expect(pool.workerCount).toBe(0);
      const image = await pool.decode(small, { window: { center: 100, width: 50 } });
      expect(pool.workerCount).toBe(1);
      expect(image.rows).toBe(32);
      expect(image.stored).toBeInstanceOf(Uint16Array);
      expect(Array.from(image.stored)).toEqual(smallPixels);
      expect(image.display).toBeInstanceOf(Uint8Array);
      expect(image.voi).toMatchObject({ source: 'override', center: 100 });
      // The same worker serves the next job.
      await pool.decode(small);
      expect(pool.workerCount).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('keeps ImageDecodeError codes and messages across the thread boundary', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const missing = await pool.decode(join(dir, 'nope.dcm')).catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: 'ENOENT' });
      const notImage = join(dir, 'notes.txt');
      await writeFile(notImage, 'not an image at all');
      const error = await pool.decode(notImage).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageDecodeError);
      expect(error).toMatchObject({
        code: 'unknown-format',
        message: 'notes.txt: not a DICOM, PNG or PGM image',
      });
    } finally {
      await pool.close();
    }
  });

  it('drops a queued job on abort and rejects it with an AbortError', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const running = pool.decode(large);
      const controller = new AbortController();
      const queued = pool.decode(small, {}, controller.signal);
      controller.abort();
      await expect(queued).rejects.toSatisfy(isAbortError);
      // The running job was not disturbed and its worker kept.
      expect((await running).rows).toBe(2048);
      expect(pool.workerCount).toBe(1);
      // An already-aborted signal never queues.
      await expect(pool.decode(small, {}, AbortSignal.abort())).rejects.toSatisfy(isAbortError);
    } finally {
      await pool.close();
    }
  });

  it('terminates the worker of an aborted running job and replaces it', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const controller = new AbortController();
      const running = pool.decode(large, {}, controller.signal);
      expect(pool.workerCount).toBe(1);
      controller.abort();
      await expect(running).rejects.toSatisfy(isAbortError);
      expect(pool.workerCount).toBe(0);
      expect((await pool.decode(small)).rows).toBe(32);
      expect(pool.workerCount).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('runs up to `size` workers in parallel', async () => {
    const pool = new DecodePool({ size: 2 });
    try {
      const images = await Promise.all([pool.decode(small), pool.decode(small), pool.decode(small)]);
      expect(images.map((i) => i.rows)).toEqual([32, 32, 32]);
      expect(pool.workerCount).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('close() ends the workers and fails pending and later jobs', async () => {
    const pool = new DecodePool({ size: 2 });
    await Promise.all([pool.decode(small), pool.decode(small)]);
    const outcomes = Promise.allSettled([pool.decode(large), pool.decode(large), pool.decode(small)]);
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      await pool.close();
      // Both threads were terminated mid-decode and have exited.
      expect(terminate).toHaveBeenCalledTimes(2);
      for (const result of terminate.mock.results) expect(typeof (await result.value)).toBe('number');
    } finally {
      terminate.mockRestore();
    }
    expect(pool.workerCount).toBe(0);
    for (const outcome of await outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'DecodePool is closed' } });
    }
    await expect(pool.decode(small)).rejects.toThrow('DecodePool is closed');
  });
});
