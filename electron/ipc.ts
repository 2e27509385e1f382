/**
 * The IPC transport's main side: one `ipcMain.handle` per contract method, each checking that the
 * call comes from the app's own top frame and validating the input with the method's schema.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  API_EVENTS,
  API_METHODS,
  type ApiEvents,
  type ApiMethodName,
  type MammoApi,
  type Unsubscribe,
} from '../main/api/contract.js';
import { apiErrorStatus, callApiMethod, describeApiError } from '../main/server/apiDispatch.js';
import {
  IMPORT_DIALOG_KINDS,
  IPC_GRANT_DROPPED_CHANNEL,
  IPC_IMPORT_DIALOG_CHANNEL,
  IPC_INVOKE_PREFIX,
  type ImportDialogKind,
  type IpcResult,
} from './bridge.js';
import { isAppUrl } from './constants.js';
import type { ImportPathGrants } from './importPathGrants.js';

/** The parts of `ipcMain` the wiring uses (a fake in tests). */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** Who may call: only the top frame of our window, showing our own origin. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

/**
 * Registers every API method on `ipcMain`; returns the function that removes them. `importFiles`
 * takes only paths in `importGrants` (chosen in the dialog or dropped in this session).
 *
 * @example
 * const dispose = registerApiHandlers(ipcMain, backend, grants);
 * app.on('will-quit', dispose);
 */
export function registerApiHandlers(
  ipcMain: IpcMainLike,
  api: MammoApi,
  importGrants: ImportPathGrants,
  trusted: (event: IpcMainInvokeEvent) => boolean = isTrustedSender,
): () => void {
  const methods = Object.keys(API_METHODS) as ApiMethodName[];
  for (const method of methods) {
    ipcMain.handle(`${IPC_INVOKE_PREFIX}${method}`, async (event, input: unknown): Promise<IpcResult> => {
      if (!trusted(event)) return { ok: false, status: 403, error: 'refused: not the workstation window' };
      const refusal = method === 'importFiles' ? importGrants.refusal(input) : null;
      if (refusal) return { ok: false, status: 403, error: refusal };
      try {
        return { ok: true, value: await callApiMethod(api, method, input) };
      } catch (error) {
        return {
          ok: false,
          status: apiErrorStatus(error),
          error: describeApiError(error),
        };
      }
    });
  }
  return () => {
    for (const method of methods) ipcMain.removeHandler(`${IPC_INVOKE_PREFIX}${method}`);
  };
}

/**
 * Registers the native import dialog: the window's own top frame may ask for one of
 * {@link IMPORT_DIALOG_KINDS} and gets the chosen paths (none when cancelled), which `importGrants`
 * then allows; the renderer imports them with `importFiles`. Also takes the paths the preload
 * resolved for dropped files into `importGrants`. Returns the function that removes both.
 *
 * @example
 * registerImportDialog(ipcMain, grants, (kind) => showImportDialog(window, kind));
 */
export function registerImportDialog(
  ipcMain: IpcMainLike,
  importGrants: ImportPathGrants,
  choose: (kind: ImportDialogKind) => Promise<string[]>,
  trusted: (event: IpcMainInvokeEvent) => boolean = isTrustedSender,
): () => void {
  ipcMain.handle(IPC_IMPORT_DIALOG_CHANNEL, async (event, kind: unknown): Promise<IpcResult> => {
    if (!trusted(event)) return { ok: false, status: 403, error: 'refused: not the workstation window' };
    if (!IMPORT_DIALOG_KINDS.includes(kind as ImportDialogKind))
      return { ok: false, status: 400, error: `the import dialog opens ${IMPORT_DIALOG_KINDS.join(' or ')}` };
    try {
      const chosen = await choose(kind as ImportDialogKind);
      importGrants.grant(chosen);
      return { ok: true, value: chosen };
    } catch (error) {
      return { ok: false, status: 500, error: describeApiError(error) };
    }
  });
  ipcMain.handle(IPC_GRANT_DROPPED_CHANNEL, (event, path: unknown): IpcResult => {
    if (!trusted(event)) return { ok: false, status: 403, error: 'refused: not the workstation window' };
    if (typeof path !== 'string') return { ok: false, status: 400, error: 'a dropped path is a string' };
    importGrants.grant([path]);
    return { ok: true, value: null };
  });
  return () => {
    ipcMain.removeHandler(IPC_IMPORT_DIALOG_CHANNEL);
    ipcMain.removeHandler(IPC_GRANT_DROPPED_CHANNEL);
  };
}

/** Something events can be sent to: the window's webContents (null while there is none). */
export interface EventTarget {
  send(channel: string, payload: unknown): void;
}

/** Forwards every API event to the window, on a channel named after the event. */
export function forwardApiEvents(api: ApiEvents, target: () => EventTarget | null): Unsubscribe {
  const unsubscribes = Object.values(API_EVENTS).map((event) =>
    api.subscribe(event, (payload) => target()?.send(event, payload)),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
