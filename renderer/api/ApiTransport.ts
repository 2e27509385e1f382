import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import type { ImportFormat, ImportResult } from '../../main/api/importing.js';
import type { ImportDialogKind } from '../../electron/bridge.js';

/** One file and where it sits under what the user dropped (`folder/sub/IM0001`). */
export interface LocalFile {
  readonly file: File;
  readonly relativePath: string;
}

/**
 * Files the user dropped on the page or picked with a file input, in one shape both transports can
 * import: the browser uploads `files` by their relative paths; Electron imports `roots` by their
 * paths on disk.
 */
export interface LocalSelection {
  /** What the user dropped or picked itself: files and, from a drop, whole folders. */
  readonly roots: readonly File[];
  /** Every file under the roots, folders walked. */
  readonly files: readonly LocalFile[];
}

/** Why this window's live updates stopped: the server's status and its one-line reason. */
export interface EventStreamProblem {
  /** 429 when the server already serves as many event streams as it allows. */
  readonly status: number;
  readonly reason: string;
}

/** The browser's event stream: says when the server refused or ended it, and opens it again. */
export interface EventStreamControl {
  /** `listener` gets the problem when live updates stop, and null when they work again. */
  onChange(listener: (problem: EventStreamProblem | null) => void): Unsubscribe;
  /** Opens the stream again, keeping every subscription (after another window was closed). */
  reconnect(): void;
}

/** What a transport carries; {@link createApiClient} builds the typed client on top. */
export interface ApiTransport {
  readonly kind: 'http' | 'ipc';
  invoke(method: ApiMethodName, input: unknown): Promise<unknown>;
  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe;
  /**
   * Imports files the user dropped on the page or picked, through the same import as a typed path:
   * the browser uploads them to the server first (`onUploaded` after each file); Electron imports
   * them where they are on disk.
   */
  importLocalFiles(
    selection: LocalSelection,
    format: ImportFormat,
    onUploaded: (done: number, total: number) => void,
  ): Promise<ImportResult>;
  /** The native open dialog (Electron only): the chosen paths, none when cancelled. */
  readonly chooseImportPaths?: (kind: ImportDialogKind) => Promise<string[]>;
  /** The event stream's state (browser only: Electron's events cannot be refused). */
  readonly eventStream?: EventStreamControl;
}
