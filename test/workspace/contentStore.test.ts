import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentStore } from '../../main/workspace/ContentStore.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { useTempDir } from '../helpers/tempDir.js';

const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff);
const sha256 = createHash('sha256').update(bytes).digest('hex');

describe('ContentStore', () => {
  const tempDir = useTempDir();

  it('replaces a damaged file stored under the hash instead of trusting its name', async () => {
    const workspace = Workspace.open(tempDir());
    const target = workspace.resolvePath(`store/${sha256.slice(0, 2)}/${sha256}.dcm`);
    mkdirSync(dirname(target), { recursive: true });
    // What a full disk left behind before this fix: the file 657 bytes short.
    writeFileSync(target, bytes.subarray(0, bytes.length - 657));

    const path = await new ContentStore(workspace).put(bytes, sha256, 'dcm');
    expect(workspace.resolvePath(path)).toBe(target);
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(sha256);
    workspace.close();
  });

  it('keeps nothing under the hash when the disk fills, so the next import writes the whole file', async () => {
    const workspace = Workspace.open(tempDir());
    // Short counts of a filling disk: 999 bytes a call, then nothing past byte 4343.
    const fullDisk = async (handle: FileHandle, buffer: Uint8Array, offset: number, length: number) =>
      offset >= 4343
        ? 0
        : (await handle.write(buffer, offset, Math.min(length, 999, 4343 - offset))).bytesWritten;
    await expect(new ContentStore(workspace, { write: fullDisk }).put(bytes, sha256, 'dcm')).rejects.toThrow(
      /only 4343 of 5000 bytes/,
    );
    expect(readdirSync(dirname(workspace.resolvePath(`store/${sha256.slice(0, 2)}/x`)))).toEqual([]);
    const path = await new ContentStore(workspace).put(bytes, sha256, 'dcm');
    expect(
      createHash('sha256')
        .update(readFileSync(workspace.resolvePath(path)))
        .digest('hex'),
    ).toBe(sha256);
    workspace.close();
  });
});
