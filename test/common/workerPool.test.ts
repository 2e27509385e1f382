import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerPool, type WorkerPoolOptions } from '../../main/common/WorkerPool.js';
import type { TestRequest, TestResult } from './fixtures/testWorker.js';

const workerUrl = new URL('./fixtures/testWorker.ts', import.meta.url);
const isAbortError = (e: unknown) => e instanceof Error && e.name === 'AbortError';
/** Long enough that the job is still running when the test aborts or closes it. */
const LONG = 30_000;

let pools: WorkerPool<TestRequest, TestResult, number>[] = [];

function makePool(
  size: number,
  options: WorkerPoolOptions = {},
): WorkerPool<TestRequest, TestResult, number> {
  const pool = new WorkerPool<TestRequest, TestResult, number>(workerUrl, size, 'test', options);
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  pools = [];
});

describe('WorkerPool', () => {
  it('starts workers on demand and reuses them', async () => {
    const pool = makePool(1);
    expect(pool.workerCount).toBe(0);
    const first = await pool.run({ kind: 'echo', value: { a: [1, 2] } });
    expect(first.value).toEqual({ a: [1, 2] });
    expect(pool.workerCount).toBe(1);
    const second = await pool.run({ kind: 'echo', value: 2 });
    expect(second.threadId).toBe(first.threadId);
    expect(pool.workerCount).toBe(1);
  });

  it('with reuseWorkers false, ends each worker when its job settles and starts a fresh one for the next', async () => {
    const pool = makePool(1, { reuseWorkers: false });
    const first = await pool.run({ kind: 'echo', value: 1 });
    expect(pool.workerCount).toBe(0);
    await expect(pool.run({ kind: 'fail', message: 'no luck', code: 'E_TEST', detail: '' })).rejects.toThrow(
      'no luck',
    );
    expect(pool.workerCount).toBe(0);
    const second = await pool.run({ kind: 'echo', value: 2 });
    expect(second.threadId).not.toBe(first.threadId);
    expect(second.value).toBe(2);
  });

  it('transfers buffers both ways', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const reply = await makePool(1).run({ kind: 'double', bytes }, {}, [bytes.buffer]);
    expect(bytes.byteLength).toBe(0); // moved, not copied
    expect(Array.from(reply.value as Uint8Array)).toEqual([2, 4, 6]);
  });

  it('passes progress messages to onProgress before the result', async () => {
    const seen: number[] = [];
    const reply = await makePool(1).run({ kind: 'progress', steps: 3 }, { onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([1, 2, 3]);
    expect(reply.value).toBe(3);
  });

  it('rejects with the worker error, keeping its name, message, code and string fields', async () => {
    const pool = makePool(1);
    const error = await pool
      .run({ kind: 'fail', message: 'no luck', code: 'E_TEST', detail: 'more' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'CustomError', message: 'no luck', code: 'E_TEST', detail: 'more' });
    expect((error as Error).stack).toContain('testWorker');
    // A failed job does not cost the worker.
    expect(pool.workerCount).toBe(1);
  });

  it('runs up to `size` jobs in parallel', async () => {
    const pool = makePool(2);
    const counter = new SharedArrayBuffer(4);
    const replies = await Promise.all([
      pool.run({ kind: 'rendezvous', counter, parties: 2 }),
      pool.run({ kind: 'rendezvous', counter, parties: 2 }),
    ]);
    expect(replies.map((r) => r.value)).toEqual(['met', 'met']);
    expect(replies[0]!.threadId).not.toBe(replies[1]!.threadId);
    expect(pool.workerCount).toBe(2);
    // More jobs than workers queue rather than start another worker.
    const more = await Promise.all([1, 2, 3].map((value) => pool.run({ kind: 'echo', value, ms: 20 })));
    expect(more.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(pool.workerCount).toBe(2);
  });

  it('drops a queued job on abort and rejects it with an AbortError', async () => {
    const pool = makePool(1);
    const running = pool.run({ kind: 'echo', value: 'first', ms: 300 });
    const controller = new AbortController();
    const queued = pool.run({ kind: 'echo', value: 'second' }, { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toSatisfy(isAbortError);
    // The running job was not disturbed and its worker kept.
    expect((await running).value).toBe('first');
    expect(pool.workerCount).toBe(1);
    // An already-aborted signal never queues; a given reason is the rejection.
    await expect(pool.run({ kind: 'echo', value: 0 }, { signal: AbortSignal.abort() })).rejects.toSatisfy(
      isAbortError,
    );
    const reason = new Error('not wanted');
    await expect(pool.run({ kind: 'echo', value: 0 }, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });

  it('terminates the worker of an aborted running job and replaces it', async () => {
    const pool = makePool(1);
    const before = await pool.run({ kind: 'echo', value: 0 });
    const controller = new AbortController();
    const running = pool.run({ kind: 'echo', value: 'never', ms: LONG }, { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toSatisfy(isAbortError);
    expect(pool.workerCount).toBe(0);
    const after = await pool.run({ kind: 'echo', value: 'fresh' });
    expect(after.value).toBe('fresh');
    expect(after.threadId).not.toBe(before.threadId);
    expect(pool.workerCount).toBe(1);
  });

  it.each([
    ['throws an uncaught exception', 'throw', /worker blew up/],
    ['exits', 'exit', /test worker exited unexpectedly \(code 7\)/],
  ] as const)('fails the job of a worker that %s and recovers', async (_, how, message) => {
    const pool = makePool(1);
    const crashed = pool.run({ kind: 'crash', how });
    const queued = pool.run({ kind: 'echo', value: 'after' });
    await expect(crashed).rejects.toThrow(message);
    // The queued job runs on a fresh worker.
    expect((await queued).value).toBe('after');
    expect(pool.workerCount).toBe(1);
  });

  it('close() ends the workers and fails pending and later jobs', async () => {
    const pool = makePool(2);
    await Promise.all([pool.run({ kind: 'echo', value: 1 }), pool.run({ kind: 'echo', value: 2 })]);
    const outcomes = Promise.allSettled([
      pool.run({ kind: 'echo', value: 'a', ms: LONG }),
      pool.run({ kind: 'echo', value: 'b', ms: LONG }),
      pool.run({ kind: 'echo', value: 'queued' }),
    ]);
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      await pool.close();
      // Both threads were terminated mid-job and have exited.
      expect(terminate).toHaveBeenCalledTimes(2);
      for (const result of terminate.mock.results) expect(typeof (await result.value)).toBe('number');
    } finally {
      terminate.mockRestore();
    }
    expect(pool.workerCount).toBe(0);
    for (const outcome of await outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'test pool is closed' } });
    }
    await expect(pool.run({ kind: 'echo', value: 0 })).rejects.toThrow('test pool is closed');
  });
});
