import { basename } from 'node:path';

/** Why an image could not be decoded; stable strings an importer can branch on. */
export type ImageDecodeErrorCode =
  | 'unknown-format'
  | 'invalid-dicom'
  | 'unsupported-transfer-syntax'
  | 'unsupported-image'
  | 'no-pixel-data'
  | 'truncated-pixel-data'
  | 'codec-failed'
  | 'invalid-raster'
  /** The file system refused to open or read the file (permissions, a folder, a failing disk). */
  | 'unreadable-file';

/**
 * An image that cannot be decoded. The message starts with the file's base name when one is
 * known (`MG1.dcm: no pixel data`) because these messages end up in import logs shown to users.
 */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  /** The bare reason, without the file name prefix. */
  readonly reason: string;

  constructor(
    readonly code: ImageDecodeErrorCode,
    reason: string,
    /** Path or name of the offending file, as the caller gave it. */
    readonly fileName?: string,
    options?: { cause?: unknown },
  ) {
    super(fileName ? `${basename(fileName)}: ${reason}` : reason, options);
    this.reason = reason;
  }
}

/**
 * Rebuilds an ImageDecodeError that crossed a thread boundary: `serializedError` turns it into a
 * plain Error with the same name, code, reason and fileName. Anything else is returned as it is.
 */
export function reviveImageDecodeError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'ImageDecodeError' || error instanceof ImageDecodeError)
    return error;
  const { code, reason, fileName } = error as { code?: unknown; reason?: unknown; fileName?: unknown };
  if (typeof code !== 'string' || typeof reason !== 'string') return error;
  const rebuilt = new ImageDecodeError(
    code as ImageDecodeErrorCode,
    reason,
    typeof fileName === 'string' ? fileName : undefined,
  );
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/** Message of anything thrown, including the bare strings that dicom-parser and emscripten throw. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'exception' in thrown) {
    return String((thrown as { exception: unknown }).exception);
  }
  return String(thrown);
}
