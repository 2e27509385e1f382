import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  /** Every file under the workspace's store, relative to it: temp files included. */
  const storeFiles = (workspace: Workspace) =>
    readdirSync(workspace.resolvePath('store'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);

  it('stores a file streamed, under the sha256 of its bytes, once, leaving no temp file', async () => {
    const workspace = Workspace.open(tempDir());
    // Larger than one streamed chunk (1 MiB), so the hash runs over several.
    const large = Uint8Array.from({ length: 2.5 * 2 ** 20 + 7 }, (_, i) => (i * 131 + (i >> 11)) & 0xff);
    const source = join(tempDir(), 'scan.dcm');
    writeFileSync(source, large);
    const expected = createHash('sha256').update(large).digest('hex');

    const stored = await new ContentStore(workspace).putFile(source, 'dcm');
    expect(stored).toEqual({
      path: `store/${expected.slice(0, 2)}/${expected}.dcm`,
      sha256: expected,
      bytes: large.length,
    });
    expect(readFileSync(workspace.resolvePath(stored.path)).equals(large)).toBe(true);
    // The same content again: the same file, and no second copy or leftover temp.
    expect(await new ContentStore(workspace).putFile(source, 'dcm')).toEqual(stored);
    expect(storeFiles(workspace)).toEqual([`${expected}.dcm`]);
    workspace.close();
  });

  it('with the hash known: trusts an intact copy, repairs a damaged one, refuses a changed source', async () => {
    const workspace = Workspace.open(tempDir());
    const store = new ContentStore(workspace);
    const source = join(tempDir(), 'scan.dcm');
    writeFileSync(source, bytes);
    const stored = await store.putFile(source, 'dcm', sha256);
    expect(stored).toEqual({
      path: `store/${sha256.slice(0, 2)}/${sha256}.dcm`,
      sha256,
      bytes: bytes.length,
    });

    writeFileSync(workspace.resolvePath(stored.path), 'damaged');
    await store.putFile(source, 'dcm', sha256);
    expect(readFileSync(workspace.resolvePath(stored.path)).equals(bytes)).toBe(true);

    // The source no longer holds the bytes hashed: nothing of it is stored under any name.
    writeFileSync(workspace.resolvePath(stored.path), 'damaged');
    writeFileSync(source, 'other bytes');
    await expect(store.putFile(source, 'dcm', sha256)).rejects.toThrow(
      'the file changed while it was being copied into the workspace; import it again',
    );
    expect(storeFiles(workspace)).toEqual([`${sha256}.dcm`]);
    expect(readFileSync(workspace.resolvePath(stored.path), 'utf8')).toBe('damaged');
    workspace.close();
  });

  it('keeps nothing of a streamed copy the disk could not take', async () => {
    const workspace = Workspace.open(tempDir());
    const source = join(tempDir(), 'scan.dcm');
    writeFileSync(source, bytes);
    const fullDisk = async (handle: FileHandle, buffer: Uint8Array, offset: number, length: number) =>
      offset >= 4343
        ? 0
        : (await handle.write(buffer, offset, Math.min(length, 999, 4343 - offset))).bytesWritten;
    await expect(new ContentStore(workspace, { write: fullDisk }).putFile(source, 'dcm')).rejects.toThrow(
      'could not store scan.dcm: only 4343 bytes were written',
    );
    expect(storeFiles(workspace)).toEqual([]);
    workspace.close();
  });
});
