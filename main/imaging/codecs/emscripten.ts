import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The part of an emscripten factory's options this project uses. */
interface EmscriptenFactoryOptions {
  locateFile: (file: string, scriptDirectory: string) => string;
  print: (text: string) => void;
}

type EmscriptenFactory<T> = (options: EmscriptenFactoryOptions) => Promise<T>;

const instances = new Map<string, Promise<unknown>>();

/**
 * Instantiates an emscripten-built codec once per thread and returns the same promise afterwards.
 *
 * The codec packages are CommonJS and locate their `.wasm` relative to the page in a browser; in
 * Node the glue must be handed an absolute path, so both files are resolved through the package's
 * own exports map (e.g. `@cornerstonejs/codec-openjpeg/decodewasmjs` and `.../decodewasm`). A
 * failed instantiation is forgotten so that a later call can retry.
 *
 * @param jsSpecifier - package subpath of the emscripten glue script.
 * @param wasmSpecifier - package subpath of the matching `.wasm` binary.
 */
export function loadEmscriptenModule<T>(jsSpecifier: string, wasmSpecifier: string): Promise<T> {
  const key = `${jsSpecifier}\n${wasmSpecifier}`;
  let instance = instances.get(key) as Promise<T> | undefined;
  if (instance === undefined) {
    instance = (async () => {
      const wasmPath = require.resolve(wasmSpecifier);
      const loaded = require(jsSpecifier) as EmscriptenFactory<T> | { default: EmscriptenFactory<T> };
      const factory = typeof loaded === 'function' ? loaded : loaded.default;
      return factory({
        locateFile: (file) => (file.endsWith('.wasm') ? wasmPath : file),
        // OpenJPEG reports "[INFO] Main header has been correctly decoded" and the like on stdout,
        // which would pollute CLI output; errors still go to stderr through printErr.
        print: () => {},
      });
    })();
    instances.set(key, instance);
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/** Embind objects live on the wasm heap and must be freed explicitly. */
export interface EmbindObject {
  delete(): void;
}

/** Frame description that the cornerstone codecs report after decoding. */
export interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** Copies a view of the wasm heap out before the heap is reused or grows (which detaches views). */
export function copyOut(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}
