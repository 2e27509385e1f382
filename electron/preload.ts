/**
 * The sandboxed preload: exposes `window.mammo`: API calls and events, each refusing names outside
 * the contract before anything crosses to the main process, the import dialog (one of two kinds),
 * and the disk path of a file the user dropped (Electron's webUtils), which the main process is told
 * of so that it may be imported. Bundled to CommonJS by
 * `npm run build:electron` (a sandboxed preload cannot load modules).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_EVENTS, API_METHODS, type ApiEventName } from '../main/api/contract.js';
import {
  IMPORT_DIALOG_KINDS,
  IPC_GRANT_DROPPED_CHANNEL,
  IPC_IMPORT_DIALOG_CHANNEL,
  IPC_INVOKE_PREFIX,
  type IpcResult,
  type MammoBridge,
} from './bridge.js';

const METHODS = new Set<string>(Object.keys(API_METHODS));
const EVENTS = new Set<string>(Object.values(API_EVENTS));
const DIALOG_KINDS = new Set<string>(IMPORT_DIALOG_KINDS);

const bridge: MammoBridge = {
  invoke(method, input) {
    if (!METHODS.has(method))
      return Promise.resolve<IpcResult>({ ok: false, status: 404, error: `unknown API method '${method}'` });
    return ipcRenderer.invoke(`${IPC_INVOKE_PREFIX}${method}`, input) as Promise<IpcResult>;
  },
  subscribe(event: ApiEventName, listener) {
    if (!EVENTS.has(event)) throw new Error(`unknown API event '${event}'`);
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
  chooseImportPaths(kind) {
    if (!DIALOG_KINDS.has(kind))
      return Promise.resolve<IpcResult>({ ok: false, status: 400, error: `unknown dialog kind '${kind}'` });
    return ipcRenderer.invoke(IPC_IMPORT_DIALOG_CHANNEL, kind) as Promise<IpcResult>;
  },
  pathForFile(file) {
    let path: string;
    try {
      path = webUtils.getPathForFile(file);
    } catch {
      return '';
    }
    // Only a real dropped or picked File has a path (one made by a script has none). Sent before
    // the renderer can ask to import it, on the same ordered channel.
    if (path) void ipcRenderer.invoke(IPC_GRANT_DROPPED_CHANNEL, path);
    return path;
  },
};

contextBridge.exposeInMainWorld('mammo', bridge);
