import { cpus } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { createWorker } from '../common/createWorker.js';
import type { DecodedImage, DecodeOptions } from './decodeImage.js';
import { deserializeError, type DecodeRequest, type DecodeResponse } from './workerProtocol.js';

/** Options for {@link DecodePool}. */
export interface DecodePoolOptions {
  /** Maximum number of worker threads; default min(2, number of CPUs). */
  readonly size?: number;
  /** Worker entry; defaults to the sibling `decodeWorker` module. Meant for tests. */
  readonly workerUrl?: URL;
}

interface Job {
  readonly id: number;
  readonly filePath: string;
  readonly options: DecodeOptions;
  readonly resolve: (image: DecodedImage) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
}

/** The worker sits next to this file with the same extension: `.ts` under tsx/vitest, `.js` when built. */
function defaultWorkerUrl(): URL {
  return new URL(`./decodeWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * A small pool of decode worker threads. Jobs queue in call order and each worker decodes one
 * file at a time; workers start on demand and are reused so codecs load once per worker.
 *
 * Cancellation: aborting a queued job drops it; aborting a running job terminates its worker (a
 * wasm decode cannot be interrupted otherwise) and a fresh worker replaces it when next needed.
 * Either way the promise rejects with the signal's reason, an `AbortError` DOMException by default.
 *
 * Idle workers are unref'd, so a forgotten pool does not keep the process alive; call
 * {@link DecodePool.close} to end them deterministically.
 */
export class DecodePool {
  /** Maximum number of workers. */
  readonly size: number;
  private readonly workerUrl: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: DecodePoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? Math.min(2, cpus().length)));
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl();
  }

  /** Number of worker threads currently alive (for diagnostics and tests). */
  get workerCount(): number {
    return this.slots.length;
  }

  /**
   * Decodes a DICOM, PNG or PGM file in a worker thread.
   *
   * @param filePath - path readable by the worker.
   * @param options - display options, as for `decodeImage`.
   * @param signal - aborts the job, queued or running.
   * @returns the decoded image; its pixel buffers were transferred, not copied.
   */
  decode(filePath: string, options: DecodeOptions = {}, signal?: AbortSignal): Promise<DecodedImage> {
    if (this.closed) return Promise.reject(new Error('DecodePool is closed'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<DecodedImage>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        filePath,
        options,
        resolve,
        reject,
        signal,
        onAbort: () => this.abort(job),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Rejects queued and running jobs and terminates every worker. Further `decode` calls reject.
   */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('DecodePool is closed');
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(error));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      const job = slot.job;
      slot.job = undefined;
      if (job) this.settle(job, () => job.reject(error));
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (slot === undefined) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.worker.ref();
      const request: DecodeRequest = { id: job.id, filePath: job.filePath, options: job.options };
      slot.worker.postMessage(request);
    }
  }

  private spawn(): Slot {
    const worker = createWorker(this.workerUrl);
    const slot: Slot = { worker, job: undefined };
    worker.unref();
    worker.on('message', (response: DecodeResponse) => this.onResponse(slot, response));
    worker.on('error', (error) => this.retire(slot, error));
    worker.on('exit', (code) =>
      this.retire(slot, new Error(`decode worker exited unexpectedly (code ${code})`)),
    );
    this.slots.push(slot);
    return slot;
  }

  private onResponse(slot: Slot, response: DecodeResponse): void {
    const job = slot.job;
    if (job === undefined || job.id !== response.id) return;
    slot.job = undefined;
    slot.worker.unref();
    if (response.ok) this.settle(job, () => job.resolve(response.image));
    else this.settle(job, () => job.reject(deserializeError(response.error)));
    this.dispatch();
  }

  /** A worker that crashed or exited: fail its job and forget it; a new one starts when needed. */
  private retire(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already retired (terminated on abort, or closed)
    this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    if (job) this.settle(job, () => job.reject(error));
    void slot.worker.terminate();
    this.dispatch();
  }

  private abort(job: Job): void {
    const reason = job.signal
      ? abortReason(job.signal)
      : new DOMException('The operation was aborted.', 'AbortError');
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, () => job.reject(reason));
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot === undefined) return; // already settled
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.job = undefined;
    void slot.worker.terminate();
    this.settle(job, () => job.reject(reason));
    this.dispatch();
  }

  private settle(job: Job, settle: () => void): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    settle();
  }
}
