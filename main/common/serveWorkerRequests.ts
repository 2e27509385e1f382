import { parentPort } from 'node:worker_threads';
import { serializeError } from './serializedError.js';
import type { WorkerMessage, WorkerRequest } from './WorkerPool.js';

/**
 * The worker side of {@link WorkerPool}: runs `handle` for each request, one at a time, and posts
 * its progress and result (or error) back. `handle` returns the buffers to transfer.
 */
export function serveWorkerRequests<Payload, Result, Progress = never>(
  handle: (
    payload: Payload,
    reportProgress: (progress: Progress) => void,
  ) => Promise<{ result: Result; transfer?: ArrayBuffer[] }>,
): void {
  const port = parentPort;
  if (!port) throw new Error('this module must run in a worker thread');
  port.on('message', (request: WorkerRequest<Payload>) => {
    const post = (message: WorkerMessage<Result, Progress>, transfer: ArrayBuffer[] = []) =>
      port.postMessage(message, transfer);
    handle(request.payload, (progress) => post({ id: request.id, kind: 'progress', progress })).then(
      ({ result, transfer }) => post({ id: request.id, kind: 'result', ok: true, result }, transfer),
      (thrown: unknown) => post({ id: request.id, kind: 'result', ok: false, error: serializeError(thrown) }),
    );
  });
}
