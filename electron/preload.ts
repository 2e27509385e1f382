/**
 * The sandboxed preload: exposes `window.mammo` with exactly two functions, each refusing names
 * outside the contract before anything crosses to the main process. Bundled to CommonJS by
 * `npm run build:electron` (a sandboxed preload cannot load modules).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENTS, API_METHODS, type ApiEventName } from '../main/api/contract.js';
import { IPC_INVOKE_PREFIX, type IpcResult, type MammoBridge } from './bridge.js';

const METHODS = new Set<string>(Object.keys(API_METHODS));
const EVENTS = new Set<string>(Object.values(API_EVENTS));

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
};

contextBridge.exposeInMainWorld('mammo', bridge);
