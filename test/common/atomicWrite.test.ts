import { existsSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, type WriteSync } from '../../main/common/atomicWrite.js';
import { useTempDir } from '../helpers/tempDir.js';

/** A write that places at most `chunk` bytes per call, then nothing once `capacity` is used up (a full disk). */
function limitedWrite(chunk: number, capacity = Infinity): WriteSync & { calls: number } {
  let used = 0;
  const write = (fd: number, buffer: Uint8Array, offset: number, length: number) => {
    write.calls++;
    const n = Math.max(0, Math.min(chunk, length, capacity - used));
    used += n;
    return n === 0 ? 0 : writeSync(fd, buffer, offset, n);
  };
  write.calls = 0;
  return write;
}

const payload = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) & 0xff);

describe('writeFileAtomic', () => {
  const tempDir = useTempDir();

  it('keeps writing when a write call places only part of the bytes', () => {
    const target = join(tempDir(), 'file.bin');
    const write = limitedWrite(999);
    writeFileAtomic(target, payload, { write });
    expect(Buffer.from(readFileSync(target)).equals(Buffer.from(payload))).toBe(true);
    expect(write.calls).toBe(Math.ceil(payload.length / 999));
  });

  it('fails when the disk fills, leaving the old content and no temp file', () => {
    const dir = tempDir();
    const target = join(dir, 'file.bin');
    writeFileSync(target, 'old');
    expect(() => writeFileAtomic(target, payload, { write: limitedWrite(4096, 9_343) })).toThrow(
      'could not write file.bin: only 9343 of 10000 bytes were written',
    );
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['file.bin']);
  });

  it('fails for a new file without leaving anything under its name', () => {
    const dir = tempDir();
    const target = join(dir, 'new.bin');
    expect(() => writeFileAtomic(target, payload, { write: limitedWrite(100, 657) })).toThrow(/657 of 10000/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
