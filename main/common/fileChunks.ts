import { open } from 'node:fs/promises';

/**
 * Reads a file front to back into one reused buffer of `chunkBytes`, handing each filled part to
 * `visit` and waiting for it before the next read: a file of any size costs this thread one
 * buffer, and no garbage per chunk (a stream allocates a new buffer for each). `visit` must be
 * done with its chunk when its promise settles; the next read overwrites it.
 *
 * @returns the number of bytes read.
 */
export async function forEachFileChunk(
  path: string,
  chunkBytes: number,
  visit: (chunk: Uint8Array) => void | Promise<void>,
): Promise<number> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(chunkBytes);
    let total = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return total;
      total += bytesRead;
      await visit(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}
