import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const TS_EXTENSION = /\.(?:c|m)?tsx?$/;

let tsxApiUrl: string | undefined;

/**
 * File URL of tsx's ESM `register()` API. `require.resolve` would pick the package's `require`
 * condition (a .cjs file that cannot register ESM hooks), so the `import` target is read from the
 * exports map instead of being hard-coded.
 */
function resolveTsxEsmApi(): string {
  if (tsxApiUrl === undefined) {
    const packageJsonPath = createRequire(import.meta.url).resolve('tsx/package.json');
    const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
      exports?: Record<string, { import?: { default?: string } } | string>;
    };
    const entry = manifest.exports?.['./esm/api'];
    const target = typeof entry === 'object' ? entry.import?.default : undefined;
    if (target === undefined) throw new Error('createWorker: cannot find the ESM API of the installed tsx');
    tsxApiUrl = pathToFileURL(join(dirname(packageJsonPath), target)).href;
  }
  return tsxApiUrl;
}

/**
 * Starts a `worker_threads` Worker for a module URL, whether the module is compiled JavaScript or
 * TypeScript source.
 *
 * A TypeScript entry is started through a tiny ESM bootstrap that registers tsx inside the worker
 * and then imports the entry. `execArgv: ['--import', 'tsx']` is not enough on Node 20: loader
 * hooks given to a worker on its command line are ignored there, and a worker never inherits the
 * hooks that vitest or `npx tsx` installed in the parent. The parent's `execArgv` is not passed on
 * either (vitest's flags do not belong in a worker) unless the caller gives `options.execArgv`.
 *
 * @param url - e.g. `new URL('./someWorker.ts', import.meta.url)`, or its compiled `.js` twin.
 * @param options - ordinary `WorkerOptions` (`workerData`, `resourceLimits`, ...).
 */
export function createWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (url.protocol !== 'file:') {
    throw new Error(`createWorker: only file: URLs are supported, got ${url.href}`);
  }
  if (!TS_EXTENSION.test(url.pathname)) {
    return new Worker(url, options);
  }
  const bootstrap =
    `import { register } from ${JSON.stringify(resolveTsxEsmApi())};\n` +
    `register();\n` +
    `await import(${JSON.stringify(url.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    ...options,
    execArgv: options.execArgv ?? [],
  });
}
