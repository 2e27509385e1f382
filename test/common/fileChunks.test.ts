import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachFileChunk } from '../../main/common/fileChunks.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('forEachFileChunk', () => {
  const tempDir = useTempDir();

  it('hands over the file front to back, in chunks of at most the size asked, through one buffer', async () => {
    const file = join(tempDir(), 'data.bin');
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff);
    writeFileSync(file, bytes);
    const seen: number[] = [];
    const buffers = new Set<ArrayBufferLike>();
    const lengths: number[] = [];
    const total = await forEachFileChunk(file, 7, async (chunk) => {
      // A visit that takes its time: the next read waits for it.
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(...chunk);
      buffers.add(chunk.buffer);
      lengths.push(chunk.length);
    });
    expect(total).toBe(100);
    expect(seen).toEqual([...bytes]);
    expect(lengths).toEqual([...Array<number>(14).fill(7), 2]);
    expect(buffers.size).toBe(1);
  });

  it('reads an empty file as no chunk, and rejects for a missing one', async () => {
    const empty = join(tempDir(), 'empty.bin');
    writeFileSync(empty, '');
    const visits: number[] = [];
    expect(await forEachFileChunk(empty, 8, (chunk) => void visits.push(chunk.length))).toBe(0);
    expect(visits).toEqual([]);
    await expect(forEachFileChunk(join(tempDir(), 'missing.bin'), 8, () => {})).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
