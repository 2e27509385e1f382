import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { inFreshProcess, trackPeakRss } from './benchUtil.js';

const probe = new URL('../helpers/freshProcessProbe.ts', import.meta.url);

describe('inFreshProcess', () => {
  it('runs the export in another process and returns its result', async () => {
    const result = await inFreshProcess<{ pid: number; args: unknown[] }>(probe, 'describeProcess', 2, {
      dir: '/tmp/x',
    });
    expect(result.pid).not.toBe(process.pid);
    expect(result.args).toEqual([2, { dir: '/tmp/x' }]);
  });

  it("rejects with the child's error", async () => {
    await expect(inFreshProcess(probe, 'failWith', 'no study')).rejects.toThrow(/failWith.*no study/s);
  });
});

describe('trackPeakRss', () => {
  it("counts a worker thread's memory held while this thread was blocked, after it has gone", async () => {
    const mb = 300;
    const before = process.memoryUsage.rss() / 2 ** 20;
    const peak = trackPeakRss();
    const touched = new Int32Array(new SharedArrayBuffer(4));
    // The worker touches every page of its buffer, says so and ends, which frees the buffer.
    const worker = new Worker(
      `const { workerData: touched } = require('node:worker_threads');
       const b = new Uint8Array(${mb} * 2 ** 20);
       for (let i = 0; i < b.length; i += 4096) b[i] = 1;
       Atomics.store(touched, 0, 1); Atomics.notify(touched, 0);`,
      { eval: true, workerData: touched },
    );
    // This thread runs no timer meanwhile: a sampler would see nothing of the worker's memory.
    Atomics.wait(touched, 0, 0, 60_000);
    const gone = new Promise((resolve) => worker.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (process.memoryUsage.rss() / 2 ** 20 > before + mb / 2 && Date.now() < deadline);
    expect(peak()).toBeGreaterThanOrEqual(before + mb * 0.9);
    await gone;
  });
});
