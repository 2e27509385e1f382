import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';

/**
 * Directory (with a trailing separator) holding the `.wasm` binaries shipped inside
 * `@tensorflow/tfjs-backend-wasm`, for `setWasmPaths`. Resolved through Node's resolver so it works
 * from a hoisted or a nested `node_modules`; in Node the backend reads the files from disk, so a
 * plain path (not a URL) is what it needs.
 */
export function resolveWasmDir(): string {
  const require = createRequire(import.meta.url);
  const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return `${dirname(wasmFile)}${sep}`;
}
