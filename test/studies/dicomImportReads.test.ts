/**
 * What a plain DICOM import reads on the calling thread (the server's, when the server imports):
 * the user's file's header, by a bounded read, and never a whole file as one buffer; its bytes
 * reach the content store a chunk at a time, and the pixels are decoded in the worker, which
 * answers without them. Responsiveness itself is measured by `npm run bench -- dicomImport`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** Reads through the promise API on this thread: whole-file reads, and each handle read's length by path. */
const reads = vi.hoisted(() => ({ whole: [] as string[], byHandle: new Map<string, number[]>() }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const pathOf = (path: unknown) => String(path);
  return {
    ...fs,
    readFile: (async (path: Parameters<typeof fs.readFile>[0], ...rest: unknown[]) => {
      reads.whole.push(pathOf(path));
      return (fs.readFile as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFile,
    open: (async (path: Parameters<typeof fs.open>[0], ...rest: unknown[]) => {
      const handle = await (fs.open as (...args: unknown[]) => Promise<FsPromises.FileHandle>)(path, ...rest);
      const read = handle.read.bind(handle) as (...args: unknown[]) => Promise<{ bytesRead: number }>;
      (handle as { read: unknown }).read = async (...args: unknown[]) => {
        const result = await read(...args);
        reads.byHandle.set(pathOf(path), [...(reads.byHandle.get(pathOf(path)) ?? []), result.bytesRead]);
        return result;
      };
      return handle;
    }) as typeof fs.open,
  };
});

const { MammoBackend } = await import('../../main/backend/MammoBackend.js');
const { HASH_CHUNK_BYTES } = await import('../../main/common/sha256.js');
const { DecodePool } = await import('../../main/imaging/DecodePool.js');
const { StudyImporter } = await import('../../main/studies/StudyImporter.js');
const { decodeImageFile } = await import('../../main/imaging/decodeImage.js');
const { testUid, writeSyntheticDicom } = await import('../helpers/syntheticDicom.js');
const { useTempDir } = await import('../helpers/tempDir.js');

/** readDicomHeaderFile's first read: a header fits in it. */
const HEADER_READ_BYTES = 64 * 1024;
const sum = (values: readonly number[] = []) => values.reduce((total, value) => total + value, 0);

describe('plain DICOM import on the calling thread', () => {
  const tempDir = useTempDir();

  it('reads the header of a 6.8 MB scan (bounded), streams the rest, and has the worker check the stored copy', async () => {
    const file = join(tempDir(), 'rcc.dcm');
    const sopInstanceUid = testUid();
    writeFileSync(
      file,
      writeSyntheticDicom({ rows: 2042, columns: 1664, bitsAllocated: 16, bitsStored: 12, sopInstanceUid }),
    );
    const size = readFileSync(file).length;
    expect(size).toBeGreaterThan(100 * HEADER_READ_BYTES);
    const backend = MammoBackend.open(tempDir());
    const pool = new DecodePool({ size: 1 });
    const checked: string[] = [];
    try {
      const importer = new StudyImporter(backend.workspace, {
        check: (path, signal) => {
          checked.push(path);
          return pool.check(path, signal);
        },
      });
      reads.whole.length = 0;
      reads.byHandle.clear();
      expect(await importer.importFile(file)).toMatchObject({ outcome: 'imported' });

      expect(reads.whole).toEqual([]);
      // The user's file: its header, then its bytes once (the copy into the store), a chunk at a time.
      expect(sum(reads.byHandle.get(file))).toBeLessThanOrEqual(size + HEADER_READ_BYTES);
      expect(Math.max(...reads.byHandle.get(file)!)).toBeLessThanOrEqual(HASH_CHUNK_BYTES);
      const image = backend.workspace.db
        .prepare('SELECT rel_path, sha256, file_size FROM images WHERE sop_instance_uid = ?')
        .get(sopInstanceUid) as { rel_path: string; sha256: string; file_size: number };
      const stored = backend.workspace.resolvePath(image.rel_path);
      // The stored copy: its header read (bounded) for the record, its pixels checked in the worker.
      expect(sum(reads.byHandle.get(stored))).toBeLessThanOrEqual(HEADER_READ_BYTES);
      expect(checked).toEqual([stored]);
      // The outside truth: the stored bytes are the user's, under their sha256, and decode to the file's size.
      const bytes = readFileSync(stored);
      expect(bytes.equals(readFileSync(file))).toBe(true);
      expect(image).toMatchObject({
        sha256: createHash('sha256').update(bytes).digest('hex'),
        file_size: size,
      });
      expect(await decodeImageFile(stored)).toMatchObject({ rows: 2042, columns: 1664 });

      // A second import of the same file is a duplicate: hashed a chunk at a time, never read whole.
      reads.whole.length = 0;
      reads.byHandle.clear();
      expect(await importer.importFile(file)).toMatchObject({ outcome: 'skipped' });
      expect(reads.whole).toEqual([]);
      expect(Math.max(...reads.byHandle.get(file)!)).toBeLessThanOrEqual(HASH_CHUNK_BYTES);
    } finally {
      await pool.close();
      await backend.close();
    }
  });
});
