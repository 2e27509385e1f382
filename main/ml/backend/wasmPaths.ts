import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Directory (with a trailing separator) holding the `.wasm` binaries shipped inside
 * `@tensorflow/tfjs-backend-wasm`. Resolved through Node's resolver so it works from a hoisted or a
 * nested `node_modules` and from a packaged app (as long as the binaries are not inside an asar).
 */
export function resolveWasmDir(): string {
  const require = createRequire(import.meta.url);
  const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return `${dirname(wasmFile)}/`;
}

/** Same directory as a `file://` URL, for callers that need a URL rather than a path. */
export function resolveWasmDirUrl(): string {
  return pathToFileURL(resolveWasmDir()).href;
}
