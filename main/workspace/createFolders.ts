import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p` one level at a time, failing on the first level that cannot be made. Node's own
 * recursive mkdir loops forever, at full CPU, where the kernel answers ENOENT for a folder whose
 * parent exists (under /proc, e.g. `--workspace /proc/1/ws`); this names the folder and the reason.
 *
 * @throws Error `cannot create the folder PATH: REASON`, or `PATH is not a folder`.
 */
export function createFolders(path: string): void {
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    const kind = kindOf(at);
    if (kind === 'folder') break;
    if (kind === 'other') throw new Error(`${at} is not a folder`);
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && kindOf(folder) === 'folder') continue;
      throw new Error(`cannot create the folder ${folder}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * Why `path` cannot become a folder, judged without creating anything (so that a command refuses a
 * bad output path before it works for an hour, not after): null when it is a writable folder or
 * can be created under one.
 *
 * @example
 * folderRefusal('/etc/passwd/x'); // '/etc/passwd is not a folder'
 */
export function folderRefusal(path: string): string | null {
  for (let at = path; ; at = dirname(at)) {
    let kind;
    try {
      kind = kindOf(at);
    } catch (error) {
      return `cannot look at ${at}: ${(error as Error).message}`;
    }
    if (kind === 'other') return `${at} is not a folder`;
    if (kind === 'folder') {
      try {
        accessSync(at, constants.W_OK);
        return null;
      } catch (error) {
        return `${at} is not writable (${(error as NodeJS.ErrnoException).code ?? 'refused'})`;
      }
    }
    if (dirname(at) === at) return `${at} does not exist`;
  }
}

function kindOf(path: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: some folder above is a file; the walk upwards finds which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}
