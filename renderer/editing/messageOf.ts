/** A thrown value as the one line the editor shows. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
