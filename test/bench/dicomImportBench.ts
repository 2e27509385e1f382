import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { SHARED_DICOM, hasSharedData } from '../helpers/paths.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { inFreshProcess, round, trackPeakRss } from './benchUtil.js';

/** A full-field digital mammogram's detector: 3328 x 4084 px, 16-bit (about 27 MB uncompressed). */
const FFDM = { rows: 4084, columns: 3328 };
const GENERATED_FILES = 3;
/** No single block of the event loop longer than this while a file imports (the training bench's lag target). */
const TARGET_LONGEST_BLOCK_MS = 50;
/** The two real compressed films of ../shared/data/dicom-wg04 (JPEG 2000 and 12-bit JPEG). */
const REAL_FILES = ['MG1_J2KI.dcm', 'MG1_JPLY.dcm'];

/** How one file's import used the calling thread (the server's, when the server imports). */
interface FileImport {
  wallMs: number;
  /** Event-loop utilisation's active time: how long this thread was busy during the import. */
  threadBusyMs: number;
  /**
   * CPU time this thread itself ran (Linux's schedstat for the main thread; null elsewhere): unlike
   * the busy time, it does not count the time a loaded machine kept the thread waiting for a core.
   */
  threadCpuMs: number | null;
  /** The longest the event loop was held at once (monitorEventLoopDelay's max, 10 ms resolution). */
  longestBlockMs: number;
  /**
   * The most ArrayBuffer memory this thread's heap held (sampled every millisecond, above what it
   * held before): file bytes or pixels held here, which a worker's would not count in.
   */
  heldBuffersMB: number;
}

/** Nanoseconds the main thread has run on a CPU, from /proc (Linux); null elsewhere. */
function mainThreadCpuNs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/**
 * Plain DICOM import (`importFiles` with format dicom, StudyImporter) through the back end, one
 * file per call: per file, the wall time, how long the calling thread was busy, the CPU time it
 * ran, the event loop's longest block and the most buffer memory the thread held. Generated uncompressed FFDM-size files (imported, then re-imported, which
 * is the skip path), and the two real compressed films when ../shared/data is present. A tiny file
 * is imported first, untimed, so module loading and the worker's start are not counted.
 */
export async function dicomImportBench(): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'mammo-bench-dicom-'));
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    // Written by another process, so that its memory is not this one's peak.
    const generated = await inFreshProcess<string[]>(
      import.meta.url,
      'writeFfdmFiles',
      root,
      GENERATED_FILES,
    );
    const backend = MammoBackend.open(workspace);
    try {
      const warmUp = join(root, 'warm-up.dcm');
      writeFileSync(warmUp, writeSyntheticDicom({ rows: 64, columns: 48 }));
      await importOne(backend, warmUp);
      const peakRss = trackPeakRss();
      const firstImport = await importEach(backend, generated);
      const reimport = await importEach(backend, generated);
      const real = hasSharedData
        ? await importEach(
            backend,
            REAL_FILES.map((name) => join(SHARED_DICOM, name)),
          )
        : { skipped: 'shared data not present' };
      const longestBlockMs = Math.max(
        ...[firstImport, reimport, real].flatMap((run) =>
          'longestBlockMs' in run ? [run.longestBlockMs] : [],
        ),
      );
      return {
        generated: { files: generated.length, size: `${FFDM.columns}x${FFDM.rows} 16-bit uncompressed` },
        import: firstImport,
        reimport,
        realCompressed: real,
        peakRssMB: peakRss(),
        longestBlockMs,
        targetLongestBlockMs: TARGET_LONGEST_BLOCK_MS,
        meetsTarget: longestBlockMs <= TARGET_LONGEST_BLOCK_MS,
      };
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Imports each file on its own; the mean and worst of each measure, and every file's. */
async function importEach(
  backend: MammoBackend,
  files: readonly string[],
): Promise<{
  meanWallMs: number;
  meanThreadBusyMs: number;
  meanThreadCpuMs: number | null;
  longestBlockMs: number;
  heldBuffersMB: number;
  perFile: FileImport[];
}> {
  const runs: FileImport[] = [];
  for (const file of files) runs.push(await importOne(backend, file));
  const mean = (values: (number | null)[]) =>
    values.includes(null) ? null : round(values.reduce((s: number, v) => s + v!, 0) / values.length);
  return {
    meanWallMs: mean(runs.map((r) => r.wallMs))!,
    meanThreadBusyMs: mean(runs.map((r) => r.threadBusyMs))!,
    meanThreadCpuMs: mean(runs.map((r) => r.threadCpuMs)),
    longestBlockMs: Math.max(...runs.map((r) => r.longestBlockMs)),
    heldBuffersMB: Math.max(...runs.map((r) => r.heldBuffersMB)),
    perFile: runs,
  };
}

async function importOne(backend: MammoBackend, file: string): Promise<FileImport> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const buffersAtStart = process.memoryUsage().arrayBuffers;
  let heldBuffers = 0;
  const sampler = setInterval(() => {
    heldBuffers = Math.max(heldBuffers, process.memoryUsage().arrayBuffers - buffersAtStart);
  }, 1);
  const loopAtStart = performance.eventLoopUtilization();
  const cpuAtStart = mainThreadCpuNs();
  const start = performance.now();
  const result = await backend.importFiles({ paths: [file], format: 'dicom' });
  const wallMs = performance.now() - start;
  const cpuAtEnd = mainThreadCpuNs();
  const busy = performance.eventLoopUtilization(loopAtStart);
  delay.disable();
  clearInterval(sampler);
  if (result.errors.length) throw new Error(`import refused: ${JSON.stringify(result.errors)}`);
  return {
    wallMs: round(wallMs),
    threadBusyMs: round(busy.active),
    threadCpuMs: cpuAtStart === null || cpuAtEnd === null ? null : round((cpuAtEnd - cpuAtStart) / 1e6),
    longestBlockMs: round(delay.max / 1e6),
    heldBuffersMB: round(heldBuffers / 2 ** 20),
  };
}

/**
 * `count` uncompressed FFDM-size DICOMs (distinct instances) under `root`: a 12-bit ramp with a
 * per-pixel texture, so no two rows are alike. Returns their paths.
 */
export function writeFfdmFiles(root: string, count: number): string[] {
  const folder = join(root, 'ffdm');
  mkdirSync(folder, { recursive: true });
  const { rows, columns } = FFDM;
  const pixels = new Uint16Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      pixels[r * columns + c] = (r + c + ((r * 7919 + c * 104729) % 97)) & 0xfff;
  const pixelBytes = new Uint8Array(pixels.buffer);
  return Array.from({ length: count }, (_, i) => {
    const file = join(folder, `ffdm-${i + 1}.dcm`);
    writeFileSync(
      file,
      writeSyntheticDicom({
        rows,
        columns,
        bitsAllocated: 16,
        bitsStored: 12,
        pixelBytes,
        patientId: `BENCH-${i + 1}`,
        sopInstanceUid: testUid(),
        imageLaterality: i % 2 ? 'L' : 'R',
        viewPosition: 'CC',
      }),
    );
    return file;
  });
}
