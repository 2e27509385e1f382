/**
 * The paths the renderer may import over IPC: only those the user chose in this session, through
 * the native dialog or by dropping (or picking) files in the window. A renderer that runs someone
 * else's script can then neither import an arbitrary path nor learn from the per-file errors what a
 * folder it was never given holds.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Why a path is refused: one line for the user. */
export const NOT_CHOSEN_REASON =
  'refused: import only what you chose in this session (Files…, Folder… or a drop), not a typed path';

export class ImportPathGrants {
  private readonly granted = new Set<string>();

  /** Allows these paths, and everything inside those that are folders, for the rest of the session. */
  grant(paths: readonly string[]): void {
    for (const path of paths) if (isAbsolute(path)) this.granted.add(resolve(path));
  }

  /** Whether a path was granted, or lies inside a granted folder. */
  allows(path: string): boolean {
    if (!isAbsolute(path)) return false;
    const wanted = resolve(path);
    for (const root of this.granted) {
      const inside = relative(root, wanted);
      if (inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)))
        return true;
    }
    return false;
  }

  /**
   * The refusal for an `importFiles` input that names a path not granted, or null. Inputs that are
   * not a list of strings are left to the method's schema.
   */
  refusal(input: unknown): string | null {
    const paths = (input as { paths?: unknown } | null)?.paths;
    if (!Array.isArray(paths)) return null;
    return paths.every((path) => typeof path !== 'string' || this.allows(path)) ? null : NOT_CHOSEN_REASON;
  }
}
