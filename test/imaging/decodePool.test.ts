import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import { encodeScanSampleFile } from '../../main/imaging/scanSample.js';
import { gradientPixels, writeSyntheticDicom } from '../helpers/syntheticDicom.js';

// Queueing, abort, crashes and close() are WorkerPool's and tested in test/common/workerPool.test.ts.

let dir: string;
let small: string;
const smallPixels = gradientPixels(32, 24, 12);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'decode-pool-'));
  small = join(dir, 'small.dcm');
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
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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
    await expect(pool.decode(small)).rejects.toThrow('decode pool is closed');
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
        name: 'ImageDecodeError',
        code: 'unknown-format',
        reason: 'not a DICOM, PNG or PGM image',
        fileName: notImage,
        message: 'notes.txt: not a DICOM, PNG or PGM image',
      });
      expect((error as Error).stack).toContain('decodeImage');
    } finally {
      await pool.close();
    }
  });

  it("checks a reader's mask PNG in a worker: any non-zero grey or red is set, the size must match", async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      // An RGBA PNG as a canvas writes it: red 0, 1, 200 and 0 in a 2 x 2 image.
      const rgba = new Uint8Array([0, 9, 9, 255, 1, 0, 0, 255, 200, 0, 0, 255, 0, 255, 255, 255]);
      const sent = encode({ width: 2, height: 2, data: rgba, channels: 4, depth: 8 });
      const checked = await pool.checkMask(sent, 2, 2);
      expect(Array.from(checked.mask)).toEqual([0, 255, 255, 0]);
      expect(checked.positivePixels).toBe(2);
      const stored = decode(checked.png);
      expect([stored.width, stored.height, stored.channels, stored.depth]).toEqual([2, 2, 1, 8]);
      expect(Array.from(stored.data)).toEqual([0, 255, 255, 0]);

      await expect(pool.checkMask(sent, 3, 2)).rejects.toThrow('mask: 2x2 does not match the image (2x3)');
      await expect(pool.checkMask(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 2, 2)).rejects.toThrow(
        /^mask: not a PNG/,
      );
    } finally {
      await pool.close();
    }
  });

  it('encodes a training sample in a worker: the same bytes as in this thread, resampled as asked', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const mask = new Uint8Array(32 * 24);
      for (let r = 8; r < 24; r++) mask.fill(1, r * 24 + 4, r * 24 + 20);
      const full = await pool.encodeSample(small, mask, 32, 24);
      const png = decode(full.png);
      expect([png.width, png.height, png.channels, png.depth]).toEqual([24, 32, 3, 8]);
      const display = (await decodeImageFile(small)).display;
      for (let i = 0; i < 32 * 24; i++) {
        expect([png.data[i * 3], png.data[i * 3 + 1], png.data[i * 3 + 2]]).toEqual([
          display[i],
          mask[i] ? 255 : 0,
          0,
        ]);
      }
      expect(full.positivePixels).toBe(16 * 16);
      // Halved: the 16 x 16 block becomes 8 x 8 (its pixel centres fall inside, its edges resample to 0 or 255).
      const half = await pool.encodeSample(small, mask, 16, 12);
      expect(half.positivePixels).toBe(8 * 8);
      expect(
        Buffer.from(half.png).equals(Buffer.from((await encodeScanSampleFile(small, mask, 16, 12)).png)),
      ).toBe(true);
      // The caller's mask was copied, not taken.
      expect(mask.length).toBe(32 * 24);
      await expect(pool.encodeSample(small, new Uint8Array(5), 32, 24)).rejects.toThrow(/are not 24x32/);
    } finally {
      await pool.close();
    }
  });

  it('counts a map against a mask in a worker: at or above the level, never a zero pixel', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const mapPath = join(dir, 'map.png');
      await writeFile(
        mapPath,
        encode({
          width: 3,
          height: 2,
          data: new Uint8Array([0, 127, 128, 255, 0, 128]),
          channels: 1,
          depth: 8,
        }),
      );
      const mask = new Uint8Array([255, 255, 0, 255, 0, 0]);
      expect(await pool.countMapOverlap(mapPath, mask, 128)).toEqual({
        truePositives: 1,
        falsePositives: 2,
        falseNegatives: 2,
      });
      expect(await pool.countMapOverlap(mapPath, mask, 0)).toEqual({
        truePositives: 2,
        falsePositives: 2,
        falseNegatives: 1,
      });
    } finally {
      await pool.close();
    }
  });

  it('cancels a sample encode, queued or running', async () => {
    const pool = new DecodePool({ size: 1 });
    try {
      const mask = new Uint8Array(32 * 24);
      const running = new AbortController();
      const queued = new AbortController();
      const first = pool.encodeSample(small, mask, 32, 24, running.signal);
      const second = pool.encodeSample(small, mask, 32, 24, queued.signal);
      queued.abort();
      running.abort();
      await expect(first).rejects.toMatchObject({ name: 'AbortError' });
      await expect(second).rejects.toMatchObject({ name: 'AbortError' });
      expect(pool.workerCount).toBe(0);
      // A fresh worker takes the next job.
      expect((await pool.encodeSample(small, mask, 32, 24)).positivePixels).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
