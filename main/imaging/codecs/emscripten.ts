import { createRequire } from 'node:module';

import { samplesFromBytes, type DecodedFrame } from './types.js';

const require = createRequire(import.meta.url);

/** The part of an emscripten factory's options this project uses. */
interface EmscriptenFactoryOptions {
  locateFile: (file: string, scriptDirectory: string) => string;
  print: (text: string) => void;
  printErr: (text: string) => void;
}

type EmscriptenFactory<T> = (options: EmscriptenFactoryOptions) => Promise<T>;

const instances = new Map<string, Promise<unknown>>();

/** Recent stderr lines per codec; codecs explain failures there, not in what they throw. */
const messages = new Map<string, string[]>();
const MAX_MESSAGES = 8;

/**
 * Instantiates an emscripten-built codec once per thread and returns the same promise afterwards.
 *
 * The codec packages are CommonJS and locate their `.wasm` relative to the page in a browser; in
 * Node the glue must be handed an absolute path, so both files are resolved through the package's
 * own exports map (e.g. `@cornerstonejs/codec-openjpeg/decodewasmjs` and `.../decodewasm`). A
 * failed instantiation is forgotten so that a later call can retry.
 *
 * The codecs' stdout chatter (OpenJPEG's "[INFO] ...") is dropped and their stderr is kept for
 * {@link runCodec} to put into error messages, so neither ends up in the CLI's output.
 *
 * @param jsSpecifier - package subpath of the emscripten glue script.
 * @param wasmSpecifier - package subpath of the matching `.wasm` binary.
 */
export function loadEmscriptenModule<T>(jsSpecifier: string, wasmSpecifier: string): Promise<T> {
  let instance = instances.get(jsSpecifier) as Promise<T> | undefined;
  if (instance === undefined) {
    const log: string[] = [];
    messages.set(jsSpecifier, log);
    instance = (async () => {
      const wasmPath = require.resolve(wasmSpecifier);
      const loaded = require(jsSpecifier) as EmscriptenFactory<T> | { default: EmscriptenFactory<T> };
      const factory = typeof loaded === 'function' ? loaded : loaded.default;
      return factory({
        locateFile: (file) => (file.endsWith('.wasm') ? wasmPath : file),
        print: () => {},
        printErr: (text) => {
          log.push(text);
          if (log.length > MAX_MESSAGES) log.shift();
        },
      });
    })();
    instances.set(jsSpecifier, instance);
    instance.catch(() => instances.delete(jsSpecifier));
  }
  return instance;
}

/**
 * Runs one decode against a loaded codec. Anything it throws (emscripten throws C++ exceptions as
 * bare heap pointers) becomes an Error whose message includes what the codec printed meanwhile.
 */
export function runCodec<T>(jsSpecifier: string, run: () => T): T {
  const log = messages.get(jsSpecifier);
  if (log) log.length = 0;
  try {
    return run();
  } catch (thrown) {
    const printed = log?.length ? ` (${log.join('; ')})` : '';
    const what =
      thrown instanceof Error
        ? thrown.message
        : typeof thrown === 'number'
          ? `native exception ${thrown}`
          : String(thrown);
    throw new Error(`${what}${printed}`, { cause: thrown });
  }
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

/**
 * Some codecs return an empty frame instead of throwing when the codestream is unreadable.
 *
 * @throws Error when the frame has no pixels.
 */
export function assertDecoded(info: CodecFrameInfo): void {
  if (!(info.width > 0 && info.height > 0 && info.componentCount > 0 && info.bitsPerSample > 0)) {
    throw new Error('the codec decoded no image (corrupt or unsupported codestream)');
  }
}

/** Copies a view of the wasm heap out before the heap is reused or grows (which detaches views). */
export function copyOut(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}

/** The embind decoder class that each cornerstone codec exports under its own name. */
export interface EmscriptenDecoder extends EmbindObject {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
}

/** What sets one emscripten codec apart from the others; {@link decodeWithCodec} does the rest. */
export interface EmscriptenCodec<M> {
  /** Package subpath of the emscripten glue script (see {@link loadEmscriptenModule}). */
  glue: string;
  /** Package subpath of the matching `.wasm` binary. */
  wasm: string;
  /** Creates the codec's decoder object. */
  newDecoder(module: M): EmscriptenDecoder;
  /** Runs `decoder.decode()`; a codec overrides it to describe exceptions only it can read. */
  decode?(decoder: EmscriptenDecoder, module: M): void;
  /** `'reported'` trusts the frame info's `isSigned`; `'never'` always yields raw unsigned codes. */
  signed: 'reported' | 'never';
  /** Precision to report instead of the frame info's, for builds that only produce that many bits. */
  bitsPerSample?: number;
}

/**
 * Decodes one frame with an emscripten codec: loads it, fills the decoder's encoded buffer,
 * decodes, checks the frame info, copies the output off the wasm heap and frees the decoder.
 * Failures are reported as {@link runCodec} describes.
 */
export async function decodeWithCodec<M>(
  codec: EmscriptenCodec<M>,
  encoded: Uint8Array,
): Promise<DecodedFrame> {
  const module = await loadEmscriptenModule<M>(codec.glue, codec.wasm);
  return runCodec(codec.glue, () => {
    const decoder = codec.newDecoder(module);
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      if (codec.decode) codec.decode(decoder, module);
      else decoder.decode();
      const info = decoder.getFrameInfo();
      assertDecoded(info);
      const bitsPerSample = codec.bitsPerSample ?? info.bitsPerSample;
      const signed = codec.signed === 'reported' && info.isSigned === true;
      return {
        samples: samplesFromBytes(copyOut(decoder.getDecodedBuffer()), bitsPerSample, signed),
        width: info.width,
        height: info.height,
        bitsPerSample,
        components: info.componentCount,
        signed,
      };
    } finally {
      decoder.delete();
    }
  });
}
