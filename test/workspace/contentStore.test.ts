import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentStore } from '../../main/workspace/ContentStore.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { useTempDir } from '../helpers/tempDir.js';

const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff);
const sha256 = createHash('sha256').update(bytes).digest('hex');

describe('ContentStore', () => {
  const tempDir = useTempDir();

  it('replaces a damaged file stored under the hash instead of trusting its name', () => {
    const workspace = Workspace.open(tempDir());
    const target = workspace.resolvePath(`store/${sha256.slice(0, 2)}/${sha256}.dcm`);
    mkdirSync(dirname(target), { recursive: true });
    // What a full disk left behind before this fix: the file 657 bytes short.
    writeFileSync(target, bytes.subarray(0, bytes.length - 657));

    const path = new ContentStore(workspace).put(bytes, sha256, 'dcm');
    expect(workspace.resolvePath(path)).toBe(target);
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(sha256);
    workspace.close();
  });

  it('keeps nothing under the hash when the disk fills, so the next import writes the whole file', () => {
    const workspace = Workspace.open(tempDir());
    const fullDisk = (fd: number, buffer: Uint8Array, offset: number, length: number) =>
      offset >= 4343 ? 0 : writeSync(fd, buffer, offset, Math.min(length, 4343 - offset));
    expect(() => new ContentStore(workspace, { write: fullDisk }).put(bytes, sha256, 'dcm')).toThrow(
      /only 4343 of 5000 bytes/,
    );
    const path = new ContentStore(workspace).put(bytes, sha256, 'dcm');
    expect(
      createHash('sha256')
        .update(readFileSync(workspace.resolvePath(path)))
        .digest('hex'),
    ).toBe(sha256);
    workspace.close();
  });
});
