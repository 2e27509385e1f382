/**
 * A well-formed request that the workspace's current state refuses, e.g. a rollback with no
 * earlier model: the reader's situation, not a server fault. The HTTP transport answers 409 with
 * the message; the back end's layers throw it without knowing about transports.
 */
export class RequestRefusedError extends Error {
  override readonly name = 'RequestRefusedError';
}

/**
 * A request naming something the workspace does not have (an unknown model, image or version).
 * The HTTP transport answers 404 with the message.
 */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/**
 * A save that lost to another reader's: the image has a newer version than the one the reader
 * edited. The reader's draft is kept; the editor offers to reapply it on top of the new version.
 */
export class AnnotationConflictError extends RequestRefusedError {
  constructor(
    message: string,
    /** The newest version when the save was refused. */
    readonly currentVersion: number,
  ) {
    super(message);
  }
}
