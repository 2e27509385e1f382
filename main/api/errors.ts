/**
 * A well-formed request that the workspace's current state refuses, e.g. a rollback with no
 * earlier model: the reader's situation, not a server fault. The HTTP transport answers 409 with
 * the message; the back end's layers throw it without knowing about transports.
 */
export class RequestRefusedError extends Error {
  override readonly name = 'RequestRefusedError';
}
