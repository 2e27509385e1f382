/**
 * What import says about a path it cannot take in, whatever the cause: missing, unreadable (not
 * allowed), empty, or not a file or folder at all. One reason for all of them, so that the answer
 * never tells a caller whether some arbitrary path exists.
 */
export const UNREADABLE_PATH_REASON =
  'nothing to import: the path does not exist, is empty, or cannot be read';

/** File-system errors that mean "cannot open this path" rather than a fault of the disk. */
const UNREADABLE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG', 'EISDIR']);

/** Whether an error from opening, reading or listing a path is one that {@link UNREADABLE_PATH_REASON} covers. */
export function isUnreadablePathError(error: unknown): boolean {
  return UNREADABLE_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}
