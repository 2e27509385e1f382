/**
 * The object the preload exposes as `window.mammo`, and the IPC channel names. Type-only links to
 * the contract, no Electron import: the renderer derives its `window.mammo` type from here.
 */
import type { ApiEventName, ApiMethodName, Unsubscribe } from '../main/api/contract.js';

/** Every API method is one `ipcMain.handle` channel: `mammo:api:<method>`. */
export const IPC_INVOKE_PREFIX = 'mammo:api:';

/** The native open dialog for import: one channel, taking one of {@link IMPORT_DIALOG_KINDS}. */
export const IPC_IMPORT_DIALOG_CHANNEL = 'mammo:dialog:import';

/**
 * The preload reports each path it resolved for a dropped or picked file here, so that the main
 * process lets the renderer import it. Only the preload can send it: the page has no ipcRenderer.
 */
export const IPC_GRANT_DROPPED_CHANNEL = 'mammo:import:dropped';

/** What the import dialog picks: several files, or folders. */
export const IMPORT_DIALOG_KINDS = ['files', 'folder'] as const;
export type ImportDialogKind = (typeof IMPORT_DIALOG_KINDS)[number];

/** Events reach the renderer on one channel each, named by the event itself (`mammo:import.progress`). */

/** What an IPC call resolves to: errors travel as data, so their messages arrive intact. */
export type IpcResult =
  { ok: true; value: unknown } | { ok: false; status: 400 | 403 | 404 | 409 | 500; error: string };

/** `window.mammo`: the whole surface the sandboxed renderer gets from the preload. */
export interface MammoBridge {
  /** Calls one API method; methods outside the contract are refused before anything is sent. */
  invoke(method: ApiMethodName, input: unknown): Promise<IpcResult>;
  /** Listens to one API event; returns the unsubscribe. */
  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe;
  /** The native open dialog for import; resolves with the chosen paths (an empty list when cancelled). */
  chooseImportPaths(kind: ImportDialogKind): Promise<IpcResult>;
  /**
   * Where a dropped or picked file (or folder) is on disk; '' for one that is not a local file.
   * The path may then be imported: the user chose it.
   */
  pathForFile(file: File): string;
}
