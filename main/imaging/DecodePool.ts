import { cpus } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../common/WorkerPool.js';
import type { DecodeCheck } from './decodeCheck.js';
import type { DecodedImage, DecodeOptions } from './decodeImage.js';
import { reviveImageDecodeError } from './errors.js';
import type { PixelCounts } from '../evaluation/pixelMetrics.js';
import type { BinaryMaskReading } from './binaryMask.js';
import type { HeaderElement, RewrittenDicom } from './dicomHeaderRewrite.js';
import type { CheckedMask } from './maskPng.js';
import type { RescaledGray8 } from './rescaleGray8Rows.js';
import type { EncodedSample } from './scanSample.js';
import type { DecodeRequest, DecodeResult } from './workerProtocol.js';

/** Options for {@link DecodePool}. */
export interface DecodePoolOptions {
  /** Maximum number of worker threads; default min(2, number of CPUs). */
  readonly size?: number;
  /** Worker entry; defaults to the sibling `decodeWorker` module. Meant for tests. */
  readonly workerUrl?: URL;
}

/** The worker sits next to this file with the same extension: `.ts` under tsx/vitest, `.js` when built. */
function defaultWorkerUrl(): URL {
  return new URL(`./decodeWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

/**
 * A small pool of decode worker threads: a {@link WorkerPool} running `decodeWorker`. Jobs queue
 * in call order, each worker decodes one file at a time and is reused so codecs load once.
 * Aborting, crashes and idle workers behave as described there.
 */
export class DecodePool {
  private readonly pool: WorkerPool<DecodeRequest, DecodeResult>;

  constructor(options: DecodePoolOptions = {}) {
    this.pool = new WorkerPool(
      options.workerUrl ?? defaultWorkerUrl(),
      Math.max(1, Math.floor(options.size ?? Math.min(2, cpus().length))),
      'decode',
    );
  }

  /** Maximum number of workers. */
  get size(): number {
    return this.pool.size;
  }

  /** Number of worker threads currently alive (for diagnostics and tests). */
  get workerCount(): number {
    return this.pool.workerCount;
  }

  /**
   * Decodes a DICOM, PNG or PGM file in a worker thread.
   *
   * @param filePath - path readable by the worker.
   * @param options - display options, as for `decodeImage`.
   * @param signal - aborts the job, queued or running.
   * @returns the decoded image; its pixel buffers were transferred, not copied. Decode failures
   *   reject with an `ImageDecodeError`, as they would in this thread.
   */
  decode(filePath: string, options: DecodeOptions = {}, signal?: AbortSignal): Promise<DecodedImage> {
    return this.pool
      .run({ kind: 'file', filePath, options }, signal ? { signal } : {})
      .then((result) => result as DecodedImage)
      .catch((error: unknown) => {
        throw reviveImageDecodeError(error);
      });
  }

  /**
   * Decodes a file in a worker thread only to prove that it decodes (`checkDecodesFile`): the
   * answer is its format and size, and no pixels cross back to this thread.
   *
   * @param signal - aborts the job, queued or running.
   * @throws ImageDecodeError as {@link decode} does.
   */
  check(filePath: string, signal?: AbortSignal): Promise<DecodeCheck> {
    return this.pool
      .run({ kind: 'check', filePath }, signal ? { signal } : {})
      .then((result) => result as DecodeCheck)
      .catch((error: unknown) => {
        throw reviveImageDecodeError(error);
      });
  }

  /**
   * Checks a reader's mask PNG against its image's size in a worker thread (`checkMaskPng`): the
   * 0/255 mask, its canonical PNG and its set pixels. The bytes are transferred to the worker.
   */
  checkMask(png: Uint8Array, rows: number, columns: number): Promise<CheckedMask> {
    const own = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength ? png : png.slice();
    return this.pool
      .run({ kind: 'mask', png: own, rows, columns }, {}, [own.buffer as ArrayBuffer])
      .then((result) => result as CheckedMask);
  }

  /**
   * Encodes a training sample in a worker thread (`encodeScanSampleFile`): decodes the scan file,
   * resamples its display image and `mask` (rows x columns, > 0 inside; copied, not transferred)
   * to `sampleRows` x `sampleColumns` and PNG-encodes them.
   *
   * @param signal - aborts the job, queued or running.
   */
  encodeSample(
    filePath: string,
    mask: Uint8Array,
    sampleRows: number,
    sampleColumns: number,
    signal?: AbortSignal,
  ): Promise<EncodedSample> {
    return this.pool
      .run({ kind: 'sample', filePath, mask, sampleRows, sampleColumns }, signal ? { signal } : {})
      .then((result) => result as EncodedSample)
      .catch((error: unknown) => {
        throw reviveImageDecodeError(error);
      });
  }

  /**
   * Counts in a worker thread how a probability map PNG at `level` (0..255) overlaps `mask`
   * (`countMapOverlap`); the mask is copied, not transferred.
   *
   * @param signal - aborts the job, queued or running.
   */
  countMapOverlap(
    mapPath: string,
    mask: Uint8Array,
    level: number,
    signal?: AbortSignal,
  ): Promise<PixelCounts> {
    return this.pool
      .run({ kind: 'overlap', mapPath, mask, level }, signal ? { signal } : {})
      .then((result) => result as PixelCounts);
  }

  /**
   * Decodes an 8-bit grey JPEG or PNG and rescales it to `rowScale` times its rows in a worker
   * thread (`rescaleGray8Rows`). The bytes are copied to the worker, so the caller keeps them.
   *
   * @param signal - aborts the job, queued or running.
   * @returns the rescaled image; its PNG was transferred, not copied. Undecodable bytes reject with
   *   an `ImageDecodeError`, as they would in this thread.
   */
  rescaleGray8Rows(bytes: Uint8Array, rowScale: number, signal?: AbortSignal): Promise<RescaledGray8> {
    return this.pool
      .run({ kind: 'rescaleRows', bytes, rowScale }, signal ? { signal } : {})
      .then((result) => result as RescaledGray8)
      .catch((error: unknown) => {
        throw reviveImageDecodeError(error);
      });
  }

  /**
   * Decodes a mask image file in a worker thread and reads it as a binary mask
   * (`readBinaryMaskFile`): the 0/255 mask, its PNG, its box and enclosing circle, or why it is not
   * one. Decode failures reject with an `ImageDecodeError`.
   *
   * @param signal - aborts the job, queued or running.
   */
  readBinaryMask(filePath: string, signal?: AbortSignal): Promise<BinaryMaskReading> {
    return this.pool
      .run({ kind: 'binaryMask', filePath }, signal ? { signal } : {})
      .then((result) => result as BinaryMaskReading)
      .catch((error: unknown) => {
        throw reviveImageDecodeError(error);
      });
  }

  /**
   * Reads a DICOM file in a worker thread and writes `elements` over its header
   * (`rewriteDicomHeaderFile`); the pixels are copied as they are. Failures reject with an
   * `ImageDecodeError`.
   *
   * @param signal - aborts the job, queued or running.
   * @returns the new bytes (transferred, not copied), their sha256 and the source file's.
   */
  rewriteDicomHeader(
    filePath: string,
    elements: readonly HeaderElement[],
    signal?: AbortSignal,
  ): Promise<RewrittenDicom> {
    return this.pool
      .run({ kind: 'rewriteHeader', filePath, elements }, signal ? { signal } : {})
      .then((result) => result as RewrittenDicom)
      .catch((error: unknown) => {
        throw reviveImageDecodeError(error);
      });
  }

  /** Rejects queued and running jobs and terminates every worker. Further `decode` calls reject. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
