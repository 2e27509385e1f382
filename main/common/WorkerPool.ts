import type { Worker } from 'node:worker_threads';
import { createWorker } from './createWorker.js';
import { deserializeError, type SerializedError } from './serializedError.js';

/** Pool to worker. */
export interface WorkerRequest<Payload> {
  id: number;
  payload: Payload;
}

/** Worker to pool: progress of a request, then exactly one result. */
export type WorkerMessage<Result, Progress> =
  | { id: number; kind: 'progress'; progress: Progress }
  | { id: number; kind: 'result'; ok: true; result: Result }
  | { id: number; kind: 'result'; ok: false; error: SerializedError };

export interface RunOptions<Progress> {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

interface Job<Payload, Result, Progress> {
  id: number;
  payload: Payload;
  transfer: ArrayBuffer[];
  options: RunOptions<Progress>;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
}

interface Slot<Payload, Result, Progress> {
  worker: Worker;
  job: Job<Payload, Result, Progress> | undefined;
}

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Keep a worker for the next job (the default: models and codecs load once per worker). When
   * false, a worker ends as soon as its job has settled, so whatever it grew (a tfjs wasm heap
   * never shrinks, nor does a thread's malloc arena) goes back to the system: for long, rare jobs
   * such as training, whose memory would otherwise stay held for the rest of the session.
   */
  reuseWorkers?: boolean;
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * A pool of worker threads running one module. Jobs queue in call order, each worker runs one at a
 * time and is reused (so models and codecs load once per worker) unless
 * {@link WorkerPoolOptions.reuseWorkers} is false.
 *
 * Cancellation: aborting a queued job drops it; aborting a running one terminates its worker
 * (wasm cannot be interrupted otherwise) and a fresh worker replaces it when next needed. Either
 * way the promise rejects with the signal's reason, an `AbortError` DOMException by default.
 *
 * A worker that crashes or exits fails its job and is replaced when next needed. Idle workers are
 * unref'd so a forgotten pool does not keep the process alive; {@link WorkerPool.close} ends them.
 *
 * The worker module answers with `serveWorkerRequests`; errors cross the thread boundary as
 * plain Errors with the same name, message, code and string fields (see `serializedError`).
 */
export class WorkerPool<Payload, Result, Progress = never> {
  private readonly slots: Slot<Payload, Result, Progress>[] = [];
  private readonly queue: Job<Payload, Result, Progress>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly workerUrl: URL,
    /** Maximum number of workers. */
    readonly size: number,
    private readonly name = 'worker',
    private readonly options: WorkerPoolOptions = {},
  ) {}

  /** Number of worker threads currently alive (for diagnostics and tests). */
  get workerCount(): number {
    return this.slots.length;
  }

  /**
   * Queues one request.
   *
   * @param options - `signal` aborts the job, queued or running; `onProgress` receives the
   *   worker's progress messages.
   * @param transfer - buffers of `payload` to move to the worker rather than copy.
   */
  run(payload: Payload, options: RunOptions<Progress> = {}, transfer: ArrayBuffer[] = []): Promise<Result> {
    if (this.closed) return Promise.reject(new Error(`${this.name} pool is closed`));
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    return new Promise<Result>((resolve, reject) => {
      const job: Job<Payload, Result, Progress> = {
        id: this.nextId++,
        payload,
        transfer,
        options,
        resolve,
        reject,
        onAbort: () => this.abort(job),
      };
      options.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Rejects every job and terminates the workers; later runs reject. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error(`${this.name} pool is closed`);
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
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const request: WorkerRequest<Payload> = { id: job.id, payload: job.payload };
      slot.worker.postMessage(request, job.transfer);
    }
  }

  private spawn(): Slot<Payload, Result, Progress> {
    const worker = createWorker(this.workerUrl);
    const slot: Slot<Payload, Result, Progress> = { worker, job: undefined };
    worker.unref();
    worker.on('message', (message: WorkerMessage<Result, Progress>) => this.onMessage(slot, message));
    worker.on('error', (error) => this.retire(slot, error));
    worker.on('exit', (code) =>
      this.retire(slot, new Error(`${this.name} worker exited unexpectedly (code ${code})`)),
    );
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot<Payload, Result, Progress>, message: WorkerMessage<Result, Progress>): void {
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    if (message.kind === 'progress') {
      job.options.onProgress?.(message.progress);
      return;
    }
    slot.job = undefined;
    slot.worker.unref();
    if (this.options.reuseWorkers === false) {
      this.slots.splice(this.slots.indexOf(slot), 1);
      void slot.worker.terminate();
    }
    if (message.ok) this.settle(job, () => job.resolve(message.result));
    else this.settle(job, () => job.reject(deserializeError(message.error)));
    this.dispatch();
  }

  /** A worker that crashed or exited: fail its job and forget it; a new one starts when needed. */
  private retire(slot: Slot<Payload, Result, Progress>, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already retired (terminated on abort, or closed)
    this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    if (job) this.settle(job, () => job.reject(error));
    void slot.worker.terminate();
    this.dispatch();
  }

  private abort(job: Job<Payload, Result, Progress>): void {
    const reason = abortReason(job.options.signal);
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, () => job.reject(reason));
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return; // already settled
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.job = undefined;
    void slot.worker.terminate();
    this.settle(job, () => job.reject(reason));
    this.dispatch();
  }

  private settle(job: Job<Payload, Result, Progress>, settle: () => void): void {
    job.options.signal?.removeEventListener('abort', job.onAbort);
    settle();
  }
}
