import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../kernels/register.js';
import { tf } from './tf.js';
import { resolveWasmDir } from './wasmPaths.js';

/**
 * The backends this application knows, fastest first. `tensorflow-gpu` and `tensorflow` are the
 * native libtensorflow bindings (`@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`), optional
 * dependencies that may be absent; `wasm` (XNNPACK, SIMD, one thread in Node) and `cpu` (plain
 * JavaScript, ~30x slower than wasm) always load.
 */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** A backend to force, or `auto` for the first that loads in {@link BACKEND_NAMES} order. */
export type BackendPreference = BackendName | 'auto';

/** Environment variable that forces a backend (same values as {@link parseBackendPreference}). */
export const BACKEND_ENV_VAR = 'MAMMO_TF_BACKEND';

const ALIASES: Readonly<Record<string, BackendPreference>> = {
  auto: 'auto',
  'tensorflow-gpu': 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  gpu: 'tensorflow-gpu',
  tensorflow: 'tensorflow',
  'tfjs-node': 'tensorflow',
  native: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** A backend setting that names no known backend. */
export class BackendConfigError extends Error {
  override readonly name = 'BackendConfigError';
}

/**
 * Parses a backend setting (case-insensitive; empty or undefined means `auto`). Accepted values:
 * `auto`, `tensorflow-gpu` (alias `gpu`, `tfjs-node-gpu`), `tensorflow` (alias `native`, `tfjs-node`),
 * `wasm`, `cpu`.
 * @throws BackendConfigError naming the valid values.
 */
export function parseBackendPreference(
  value: string | undefined,
  source = 'backend setting',
): BackendPreference {
  const key = (value ?? '').trim().toLowerCase();
  if (key === '') return 'auto';
  const found = ALIASES[key];
  if (found === undefined) {
    throw new BackendConfigError(
      `${source}: unknown TensorFlow.js backend '${value}'. Valid values: ${Object.keys(ALIASES).join(', ')}.`,
    );
  }
  return found;
}

/** Where the injected messages go; only `warn` is required. */
export interface BackendLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** One backend that was tried. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it failed (the import or initialisation error), when it did. */
  error?: string;
}

/** The outcome of {@link selectBackend}, meant to be shown as is by the UI and the CLI. */
export interface BackendSelection {
  /** The active backend. */
  backend: BackendName;
  /** `tf.getBackend()`: `tensorflow` for both native packages. */
  tfBackend: string;
  requested: BackendPreference;
  /** Where `requested` came from. */
  source: 'setting' | 'env' | 'default';
  /** One human-readable sentence: what was asked, what failed and what is used. */
  reason: string;
  attempts: BackendAttempt[];
  /** Native GPU package only: whether libtensorflow found a CUDA device (it silently runs on CPU otherwise). */
  gpuDevice?: boolean;
  /** Wasm only: SIMD support and thread count. */
  wasm?: { simd: boolean; threads: number };
  /** Whether the wasm training kernels (see `main/ml/kernels`) are registered. */
  wasmTrainingKernels: boolean;
}

export interface SelectBackendOptions {
  /** The application's setting; when it is not `auto` it wins over the environment variable. */
  prefer?: BackendPreference | string;
  /** Environment to read {@link BACKEND_ENV_VAR} from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives one warning per backend that fails to load (per process, not per call). Default: console. */
  logger?: BackendLogger;
  /** Register the wasm training kernels when wasm is chosen (default true). */
  wasmTrainingKernels?: boolean;
  /** Test seam: how optional packages are imported (default: dynamic `import()`). */
  importModule?: (specifier: string) => Promise<unknown>;
}

type WasmModule = typeof WasmBackendModule;

const NATIVE_PACKAGES: Readonly<Record<'tensorflow-gpu' | 'tensorflow', string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

// Failed imports are remembered so a missing optional package costs one resolution and one log
// line per process however often the backend is (re)selected.
const importOutcomes = new Map<string, Promise<{ ok: true } | { ok: false; error: string }>>();
const loggedFailures = new Set<string>();
let wasmPathsSet = false;
let queue: Promise<unknown> = Promise.resolve();
let active: BackendSelection | undefined;

/** The last successful selection, if any (for status displays). */
export function getActiveBackend(): BackendSelection | undefined {
  return active;
}

/**
 * Chooses and activates the TensorFlow.js backend: the forced one (setting, then
 * `MAMMO_TF_BACKEND`) if it loads, otherwise the first of {@link BACKEND_NAMES} that does. A backend
 * that fails is logged once and skipped; `cpu` always works, so this only rejects on an invalid
 * setting ({@link BackendConfigError}). Calls are serialised.
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const run = queue.then(() => doSelect(options));
  queue = run.catch(() => undefined);
  return run;
}

async function doSelect(options: SelectBackendOptions): Promise<BackendSelection> {
  const logger = options.logger ?? consoleLogger;
  const env = options.env ?? process.env;
  const importModule = options.importModule ?? defaultImport;

  let requested: BackendPreference = 'auto';
  let source: BackendSelection['source'] = 'default';
  const fromSetting = parseBackendPreference(options.prefer, 'backend setting');
  if (fromSetting !== 'auto') {
    requested = fromSetting;
    source = 'setting';
  } else {
    const fromEnv = parseBackendPreference(env[BACKEND_ENV_VAR], BACKEND_ENV_VAR);
    if (fromEnv !== 'auto') {
      requested = fromEnv;
      source = 'env';
    }
  }

  const order: BackendName[] =
    requested === 'auto' ? [...BACKEND_NAMES] : [requested, ...BACKEND_NAMES.filter((b) => b !== requested)];
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const error = await tryActivate(backend, importModule);
    attempts.push(error === undefined ? { backend, ok: true } : { backend, ok: false, error });
    if (error !== undefined) {
      const key = `${backend}: ${error}`;
      if (!loggedFailures.has(key)) {
        loggedFailures.add(key);
        logger.warn(`TensorFlow.js backend '${backend}' unavailable: ${error}`);
      }
      continue;
    }
    const selection = await describe(
      backend,
      requested,
      source,
      attempts,
      options.wasmTrainingKernels ?? true,
    );
    logger.info?.(`TensorFlow.js backend: ${selection.reason}`);
    active = selection;
    return selection;
  }
  // Unreachable in practice: the cpu backend is bundled with @tensorflow/tfjs.
  throw new Error(`No TensorFlow.js backend could be initialised: ${JSON.stringify(attempts)}`);
}

/** Loads and activates one backend; returns the failure message or undefined on success. */
async function tryActivate(
  backend: BackendName,
  importModule: (specifier: string) => Promise<unknown>,
): Promise<string | undefined> {
  try {
    if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
      const pkg = NATIVE_PACKAGES[backend];
      const outcome = await importOnce(pkg, importModule);
      if (!outcome.ok) return outcome.error;
      if (tf.findBackendFactory('tensorflow') == null && tf.findBackend('tensorflow') == null) {
        return `${pkg} loaded but registered no 'tensorflow' backend (mismatched @tensorflow/tfjs versions?)`;
      }
      if (backend === 'tensorflow' && isGpuPackageActive()) {
        return `the 'tensorflow' backend in this process comes from @tensorflow/tfjs-node-gpu`;
      }
      return (await tf.setBackend('tensorflow')) ? undefined : `tf.setBackend('tensorflow') failed`;
    }
    if (backend === 'wasm') {
      const outcome = await importOnce('@tensorflow/tfjs-backend-wasm', importModule, (mod) => {
        if (!wasmPathsSet) {
          (mod as WasmModule).setWasmPaths(resolveWasmDir());
          wasmPathsSet = true;
        }
      });
      if (!outcome.ok) return outcome.error;
      return (await tf.setBackend('wasm')) ? undefined : `tf.setBackend('wasm') failed (see the console)`;
    }
    return (await tf.setBackend('cpu')) ? undefined : `tf.setBackend('cpu') failed`;
  } catch (error) {
    return errorMessage(error);
  }
}

function importOnce(
  specifier: string,
  importModule: (specifier: string) => Promise<unknown>,
  onLoad?: (mod: unknown) => void,
): Promise<{ ok: true } | { ok: false; error: string }> {
  let outcome = importOutcomes.get(specifier);
  if (outcome === undefined) {
    outcome = importModule(specifier).then(
      (mod) => {
        onLoad?.(mod);
        return { ok: true as const };
      },
      (error: unknown) => ({ ok: false as const, error: errorMessage(error) }),
    );
    importOutcomes.set(specifier, outcome);
  }
  return outcome;
}

function isGpuPackageActive(): boolean {
  const instance = tf.engine().registry['tensorflow'] as { isGPUPackage?: boolean } | undefined;
  return instance?.isGPUPackage === true;
}

async function describe(
  backend: BackendName,
  requested: BackendPreference,
  source: BackendSelection['source'],
  attempts: BackendAttempt[],
  wantKernels: boolean,
): Promise<BackendSelection> {
  const selection: BackendSelection = {
    backend,
    tfBackend: tf.getBackend(),
    requested,
    source,
    reason: '',
    attempts,
    wasmTrainingKernels: false,
  };
  const details: string[] = [];
  if (backend === 'tensorflow-gpu') {
    const instance = tf.backend() as { isUsingGpuDevice?: boolean };
    selection.gpuDevice = instance.isUsingGpuDevice === true;
    details.push(selection.gpuDevice ? 'CUDA device found' : 'no CUDA device found, running on the CPU');
  }
  if (backend === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const wasmModule = await import('@tensorflow/tfjs-backend-wasm');
    selection.wasm = { simd, threads: wasmModule.getThreadsCount() };
    details.push(`${simd ? 'SIMD' : 'no SIMD'}, ${selection.wasm.threads} thread(s)`);
    if (wantKernels) {
      registerWasmTrainingKernels();
      selection.wasmTrainingKernels = true;
      details.push('training kernels registered');
    }
  }
  const failed = attempts
    .filter((a) => !a.ok)
    .map((a) => `${a.backend} unavailable (${a.error ?? 'unknown'})`);
  const asked =
    requested === 'auto'
      ? 'automatic choice'
      : `${requested} requested by ${source === 'env' ? BACKEND_ENV_VAR : 'the backend setting'}`;
  const fellBack = requested !== 'auto' && backend !== requested ? ', fell back' : '';
  selection.reason =
    `${asked}${failed.length ? `; ${failed.join('; ')}` : ''}${fellBack}; using ${backend}` +
    (details.length ? ` (${details.join(', ')})` : '');
  return selection;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Module-not-found messages carry the full importing path; the first line is enough.
  return text.split('\n')[0] ?? text;
}

const consoleLogger: BackendLogger = {
  warn: (message) => console.warn(message),
};

function defaultImport(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** Test helper: forget remembered import outcomes and logged failures. */
export function resetBackendSelectionState(): void {
  importOutcomes.clear();
  loggedFailures.clear();
  active = undefined;
}
