/**
 * A thrown value as the one line a panel shows: an Error's message (the API client's errors carry
 * the server's one-line reason), else the value as text. Stack traces never reach the reader.
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
