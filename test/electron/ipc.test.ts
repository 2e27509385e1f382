import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { API_EVENTS, API_METHODS, type ApiEvents, type MammoApi } from '../../main/api/contract.js';
import { EventBus } from '../../main/common/EventBus.js';
import type { ApiEventPayloads } from '../../main/api/contract.js';
import type { IpcResult } from '../../electron/bridge.js';
import {
  forwardApiEvents,
  isTrustedSender,
  registerApiHandlers,
  registerImportDialog,
  type IpcMainLike,
} from '../../electron/ipc.js';
import { ImportPathGrants, NOT_CHOSEN_REASON } from '../../electron/importPathGrants.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcResult>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, input);
  }
}

function fakeEvent(url: string, topFrame = true): IpcMainInvokeEvent {
  const mainFrame = { url };
  const senderFrame = topFrame ? mainFrame : { url };
  return { senderFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent;
}

/** The three methods these tests call; the rest of the contract is never reached. */
function fakeApi(): MammoApi & { calls: unknown[] } {
  const calls: unknown[] = [];
  const api: Pick<MammoApi, 'importFiles' | 'listStudies' | 'getStudy'> & { calls: unknown[] } = {
    calls,
    importFiles: async (request) => {
      calls.push(request);
      return { imported: 0, skipped: 0, errors: [], studies: [] };
    },
    listStudies: async () => [],
    getStudy: async ({ studyId }) => {
      throw new Error(`study ${studyId} not found`);
    },
  };
  return api as MammoApi & { calls: unknown[] };
}

const APP = 'mammo://app/index.html';

describe('registerApiHandlers', () => {
  it('registers one channel per contract method and removes them all', () => {
    const ipc = new FakeIpcMain();
    const dispose = registerApiHandlers(ipc, fakeApi(), new ImportPathGrants());
    expect([...ipc.handlers.keys()].sort()).toEqual(
      Object.keys(API_METHODS)
        .map((m) => `mammo:api:${m}`)
        .sort(),
    );
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('validates input with the schema (defaults filled in) before calling the back end', async () => {
    const ipc = new FakeIpcMain();
    const api = fakeApi();
    const grants = new ImportPathGrants();
    grants.grant(['/x']);
    registerApiHandlers(ipc, api, grants);
    const ok = await ipc.invoke('mammo:api:importFiles', fakeEvent(APP), { paths: ['/x'] });
    expect(ok.ok).toBe(true);
    expect(api.calls).toEqual([{ paths: ['/x'], format: 'dicom' }]);

    const bad = await ipc.invoke('mammo:api:importFiles', fakeEvent(APP), { paths: 'not an array' });
    expect(bad).toMatchObject({ ok: false, status: 400 });
    expect(api.calls).toHaveLength(1);
  });

  it('returns back-end errors as data with their message', async () => {
    const ipc = new FakeIpcMain();
    registerApiHandlers(ipc, fakeApi(), new ImportPathGrants());
    expect(await ipc.invoke('mammo:api:getStudy', fakeEvent(APP), { studyId: 7 })).toEqual({
      ok: false,
      status: 500,
      error: 'study 7 not found',
    });
  });

  it('refuses senders that are not the app top frame', async () => {
    const ipc = new FakeIpcMain();
    const api = fakeApi();
    const grants = new ImportPathGrants();
    grants.grant(['/x']);
    registerApiHandlers(ipc, api, grants);
    for (const event of [
      fakeEvent('https://evil.example/'),
      fakeEvent(APP, false),
      fakeEvent('file:///index.html'),
    ]) {
      expect(await ipc.invoke('mammo:api:importFiles', event, { paths: ['/x'] })).toMatchObject({
        ok: false,
        status: 403,
      });
    }
    expect(api.calls).toHaveLength(0);
  });
});

describe('registerImportDialog', () => {
  it('opens the dialog of a known kind for the app window only, and returns the chosen paths', async () => {
    const ipc = new FakeIpcMain();
    const asked: string[] = [];
    const dispose = registerImportDialog(ipc, new ImportPathGrants(), async (kind) => {
      asked.push(kind);
      return kind === 'folder' ? ['/data/study'] : [];
    });
    const channel = 'mammo:dialog:import';
    expect(await ipc.invoke(channel, fakeEvent(APP), 'folder')).toEqual({ ok: true, value: ['/data/study'] });
    expect(await ipc.invoke(channel, fakeEvent(APP), 'files')).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke(channel, fakeEvent(APP), 'anything')).toMatchObject({ ok: false, status: 400 });
    expect(await ipc.invoke(channel, fakeEvent(APP), { kind: 'files' })).toMatchObject({ status: 400 });
    expect(await ipc.invoke(channel, fakeEvent('https://evil.example/'), 'files')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await ipc.invoke(channel, fakeEvent(APP, false), 'files')).toMatchObject({ status: 403 });
    expect(asked).toEqual(['folder', 'files']);
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('import paths over IPC', () => {
  function wire() {
    const ipc = new FakeIpcMain();
    const api = fakeApi();
    const grants = new ImportPathGrants();
    registerApiHandlers(ipc, api, grants);
    registerImportDialog(ipc, grants, async () => ['/data/study']);
    const importFiles = (paths: string[]) => ipc.invoke('mammo:api:importFiles', fakeEvent(APP), { paths });
    return { ipc, api, importFiles };
  }
  const refused = { ok: false, status: 403, error: NOT_CHOSEN_REASON };

  it('refuses a path the user did not choose, before the back end sees it', async () => {
    const { api, importFiles } = wire();
    expect(await importFiles(['/etc'])).toEqual(refused);
    expect(await importFiles(['/home/someone/.ssh/id_rsa'])).toEqual(refused);
    expect(api.calls).toEqual([]);
  });

  it('takes what the dialog returned, and what is inside a chosen folder, nothing beside it', async () => {
    const { ipc, api, importFiles } = wire();
    await ipc.invoke('mammo:dialog:import', fakeEvent(APP), 'folder');
    expect(await importFiles(['/data/study'])).toMatchObject({ ok: true });
    expect(await importFiles(['/data/study/left/cc.dcm', '/data/study/..notes/x.dcm'])).toMatchObject({
      ok: true,
    });
    for (const outside of [
      ['/data'],
      ['/data/study-2'],
      ['/data/study/../secret'],
      ['study'],
      ['/data/study', '/etc'],
    ])
      expect(await importFiles(outside)).toEqual(refused);
    expect(api.calls).toHaveLength(2);
  });

  it('takes a path the preload resolved for a drop, from the app window only', async () => {
    const { ipc, importFiles } = wire();
    const grant = (event: IpcMainInvokeEvent, path: unknown) =>
      ipc.invoke('mammo:import:dropped', event, path);
    expect(await grant(fakeEvent('https://evil.example/'), '/etc')).toMatchObject({ status: 403 });
    expect(await grant(fakeEvent(APP, false), '/etc')).toMatchObject({ status: 403 });
    expect(await grant(fakeEvent(APP), 42)).toMatchObject({ status: 400 });
    expect(await importFiles(['/etc'])).toEqual(refused);
    expect(await grant(fakeEvent(APP), '/home/reader/Downloads/case 7')).toEqual({ ok: true, value: null });
    expect(await importFiles(['/home/reader/Downloads/case 7'])).toMatchObject({ ok: true });
  });
});

describe('isTrustedSender', () => {
  it('accepts only the mammo://app origin in the main frame', () => {
    expect(isTrustedSender(fakeEvent('mammo://app/index.html'))).toBe(true);
    expect(isTrustedSender(fakeEvent('mammo://other/index.html'))).toBe(false);
    expect(isTrustedSender(fakeEvent('not a url'))).toBe(false);
    expect(
      isTrustedSender({ senderFrame: null, sender: { mainFrame: null } } as unknown as IpcMainInvokeEvent),
    ).toBe(false);
  });
});

describe('forwardApiEvents', () => {
  it('sends each API event on its own channel until unsubscribed', () => {
    const bus = new EventBus<ApiEventPayloads>();
    const api: ApiEvents = { subscribe: (event, listener) => bus.subscribe(event, listener) };
    const send = vi.fn();
    const stop = forwardApiEvents(api, () => ({ send }));
    const progress = { done: 1, total: 2, file: '/a.dcm', outcome: 'imported' as const };
    bus.publish(API_EVENTS.importProgress, progress);
    expect(send).toHaveBeenCalledWith('mammo:import.progress', progress);
    stop();
    bus.publish(API_EVENTS.importProgress, progress);
    expect(send).toHaveBeenCalledTimes(1);
  });
});
