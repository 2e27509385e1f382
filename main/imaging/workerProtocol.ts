import { ImageDecodeError, type ImageDecodeErrorCode } from './errors.js';
import type { DecodedImage, DecodeOptions } from './decodeImage.js';

/** Pool to worker: decode one file. */
export interface DecodeRequest {
  readonly id: number;
  readonly filePath: string;
  readonly options: DecodeOptions;
}

/** An error flattened for postMessage, which keeps neither class nor custom fields. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** ImageDecodeError code, or a Node system error code such as ENOENT. */
  readonly code?: string;
  readonly reason?: string;
  readonly fileName?: string;
}

/** Worker to pool: the result of one request. */
export type DecodeResponse =
  | { readonly id: number; readonly ok: true; readonly image: DecodedImage }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** Flattens anything thrown for the trip across threads. */
export function serializeError(thrown: unknown): SerializedError {
  if (thrown instanceof ImageDecodeError) {
    return {
      name: thrown.name,
      message: thrown.message,
      ...(thrown.stack ? { stack: thrown.stack } : {}),
      code: thrown.code,
      reason: thrown.reason,
      ...(thrown.fileName ? { fileName: thrown.fileName } : {}),
    };
  }
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return {
      name: thrown.name,
      message: thrown.message,
      ...(thrown.stack ? { stack: thrown.stack } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: String(thrown) };
}

/** Rebuilds an error on the receiving side, as an ImageDecodeError when it was one. */
export function deserializeError(error: SerializedError): Error {
  let rebuilt: Error;
  if (error.name === 'ImageDecodeError' && error.code !== undefined && error.reason !== undefined) {
    rebuilt = new ImageDecodeError(error.code as ImageDecodeErrorCode, error.reason, error.fileName);
  } else {
    rebuilt = new Error(error.message);
    rebuilt.name = error.name;
    if (error.code !== undefined) Object.assign(rebuilt, { code: error.code });
  }
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/**
 * Buffers to transfer rather than copy. Typed arrays that are views into a larger or shared buffer
 * are copied first, since transferring their buffer would hand over (and detach) more than the image.
 */
export function transferableImage(image: DecodedImage): { image: DecodedImage; transfer: ArrayBuffer[] } {
  const own = <T extends DecodedImage['stored'] | Uint8Array>(a: T): T =>
    a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer
      ? a
      : (a.slice() as T);
  const stored = own(image.stored);
  const display = own(image.display);
  const transfer = [stored.buffer as ArrayBuffer];
  if ((display.buffer as ArrayBuffer) !== stored.buffer) transfer.push(display.buffer as ArrayBuffer);
  return { image: { ...image, stored, display }, transfer };
}
