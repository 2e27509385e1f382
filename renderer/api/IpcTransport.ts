import type { ApiEventName, ApiMethodName, Unsubscribe } from '../../main/api/contract.js';
import type { ImportFormat, ImportResult } from '../../main/api/importing.js';
import type { ImportDialogKind, MammoBridge } from '../../electron/bridge.js';
import { ApiError } from './ApiClient.js';
import type { ApiTransport, LocalSelection } from './ApiTransport.js';

/** Electron: calls go through the preload's `window.mammo` bridge. */
export class IpcTransport implements ApiTransport {
  readonly kind = 'ipc';

  constructor(private readonly bridge: MammoBridge) {}

  async invoke(method: ApiMethodName, input: unknown): Promise<unknown> {
    const result = await this.bridge.invoke(method, input ?? {});
    if (!result.ok) throw new ApiError(result.error, result.status);
    return result.value;
  }

  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe {
    return this.bridge.subscribe(event, listener);
  }

  /** Dropped files and folders are on this machine: they are imported where they are. */
  async importLocalFiles(selection: LocalSelection, format: ImportFormat): Promise<ImportResult> {
    const paths = selection.roots.map((file) => this.bridge.pathForFile(file)).filter(Boolean);
    if (!paths.length) throw new ApiError('nothing dropped is a file on this computer', 400);
    return (await this.invoke('importFiles', { paths, format })) as ImportResult;
  }

  readonly chooseImportPaths = async (kind: ImportDialogKind): Promise<string[]> => {
    const result = await this.bridge.chooseImportPaths(kind);
    if (!result.ok) throw new ApiError(result.error, result.status);
    return result.value as string[];
  };
}
