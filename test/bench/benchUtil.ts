import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelCard } from '../../main/api/models.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { DEFAULT_TRAINING_CONFIG } from '../../main/training/defaultModelRecipe.js';
import { saveModelFolder } from '../../main/registry/modelFolder.js';

const PROC_STATUS = '/proc/self/status';
const CLEAR_REFS = '/proc/self/clear_refs';

/** The kernel's peak RSS of this process (VmHWM), in bytes; undefined where /proc is not Linux's. */
function highWaterMark(): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(PROC_STATUS, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Peak RSS of the whole process (worker threads are threads of it, so theirs is included) from now
 * until the returned function is called, in MB. On Linux the kernel's own high-water mark (VmHWM)
 * is reset here (writing 5 to /proc/self/clear_refs) and read at the end: exact, however short a
 * spike. Elsewhere RSS is sampled every `intervalMs`. One tracker at a time: a reset ends any other.
 */
export function trackPeakRss(intervalMs = 25): () => number {
  const toMB = (bytes: number) => +(bytes / 2 ** 20).toFixed(0);
  try {
    writeFileSync(CLEAR_REFS, '5');
    if (highWaterMark() !== undefined)
      return () => toMB(Math.max(highWaterMark()!, process.memoryUsage.rss()));
  } catch {
    // Not Linux, or /proc is read-only here: sample instead.
  }
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return toMB(Math.max(peak, process.memoryUsage.rss()));
  };
}

/**
 * Runs `exportName(...args)` of a bench module in a fresh Node process and resolves with its
 * (JSON) result. A measurement of peak RSS only means something in a process that nothing ran in
 * before: a tfjs wasm heap never shrinks, and memory freed by a thread stays in its malloc arena.
 * The child's output goes to this process's stderr, so the bench's JSON on stdout stays clean.
 *
 * @example const timing = await inFreshProcess<StudyRun>(import.meta.url, 'runFfdmStudy', { workers: 2 });
 */
export function inFreshProcess<T>(
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): Promise<T> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const entry = fileURLToPath(
    new URL(`./benchChild${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
  );
  const child = fork(entry, [String(moduleUrl), exportName, JSON.stringify(args)], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  return new Promise<T>((resolve, reject) => {
    let answer: { ok: true; result: T } | { ok: false; error: string } | undefined;
    child.on('message', (message) => (answer = message as typeof answer));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.result);
      else if (answer) reject(new Error(`${exportName} in a child process: ${answer.error}`));
      else
        reject(
          new Error(`${exportName} in a child process ended without a result (${signal ?? `exit ${code}`})`),
        );
    });
  });
}

/** A model folder with the shipped model's architecture, width and input spacing (untrained: timing only). */
export async function benchModelFolder(width = 0.25): Promise<{ dir: string; card: ModelCard }> {
  const dir = mkdtempSync(join(tmpdir(), 'mammo-bench-models-'));
  const model = createDensePredictionModel({ widthMultiplier: width });
  const card = await saveModelFolder(model, join(dir, 'bench-model'), {
    id: 'bench-model',
    parentId: null,
    createdAt: new Date().toISOString(),
    architecture: 'scuccimarra-3.9.4.01',
    widthMultiplier: width,
    inputPixelSpacingMm: DEFAULT_TRAINING_CONFIG.modelSpacingMm,
    normalisation: { offset: 127, scale: 255 },
    trainingData: { description: 'untrained, for timing', images: 0, patients: 0 },
    validation: null,
    thresholds: { image: 0.5, finding: 0.5 },
    // Run as the shipped recipe runs its model (two passes when it mirrors).
    ...(DEFAULT_TRAINING_CONFIG.testTimeMirror ? { testTimeMirror: true } : {}),
  });
  model.dispose();
  return { dir, card };
}

export const round = (value: number, digits = 1) => +value.toFixed(digits);
