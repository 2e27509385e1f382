/**
 * The desktop shell: one window showing the renderer from `mammo://app`, the back end in this
 * process behind validated IPC handlers, a menu with shortcuts. Thin on purpose: everything it
 * does is in main/ or in the small tested modules next to it. Built by `npm run build:electron`.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MammoBackend } from '../main/backend/MammoBackend.js';
import { ImageFileSource } from '../main/server/ImageFileSource.js';
import { PredictionMapSource } from '../main/server/PredictionMapSource.js';
import { resolveWorkspaceDir } from '../main/workspace/resolveWorkspaceDir.js';
import { respondToAppRequest } from './appProtocol.js';
import { closeBeforeQuit } from './closeBeforeQuit.js';
import { APP_ENTRY_URL, APP_SCHEME } from './constants.js';
import type { ImportDialogKind } from './bridge.js';
import { ImportPathGrants } from './importPathGrants.js';
import { forwardApiEvents, registerApiHandlers, registerImportDialog } from './ipc.js';
import { guardNavigation } from './navigationGuards.js';
import { type MenuActions, menuTemplate } from './menu.js';
import { denyAllPermissions } from './sessionPolicy.js';
import { loadWindowState, saveWindowState } from './windowState.js';

// Paths next to the bundle (dist/electron/main.js): the preload and the renderer build.
const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  // Nothing navigates, redirects or frames away from the app, or opens new windows.
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents));

  void app.whenReady().then(() => {
    const backend = MammoBackend.open(resolveWorkspaceDir());
    const images = new ImageFileSource(backend.workspace);
    const predictionMaps = new PredictionMapSource(backend.workspace);
    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, (request) =>
      respondToAppRequest(request, { images, predictionMaps, staticRoot: RENDERER_DIR }),
    );
    const importGrants = new ImportPathGrants();
    const disposeHandlers = registerApiHandlers(ipcMain, backend, importGrants);
    const disposeDialog = registerImportDialog(ipcMain, importGrants, async (kind) => {
      if (!window) return [];
      const choice = await dialog.showOpenDialog(window, { properties: DIALOG_PROPERTIES[kind] });
      return choice.canceled ? [] : choice.filePaths;
    });
    const stopEvents = forwardApiEvents(backend, () => window?.webContents ?? null);
    // The DICOM listener runs with the app when its settings say so (it is off by default).
    void backend.pacs
      .startConfiguredListener()
      .catch((error: unknown) => console.error(error instanceof Error ? error.message : String(error)));

    const stateFile = join(app.getPath('userData'), 'window-state.json');
    const state = loadWindowState(stateFile);
    window = new BrowserWindow({
      ...state,
      backgroundColor: '#000000',
      title: 'Mammo Workstation',
      show: false,
      webPreferences: {
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        devTools: !app.isPackaged,
      },
    });
    if (state.maximized) window.maximize();
    window.once('ready-to-show', () => window?.show());
    window.on('close', () => {
      if (!window) return;
      saveWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    });
    window.on('closed', () => {
      window = null;
    });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          menuActions(backend, () => window),
          { packaged: app.isPackaged },
        ),
      ),
    );
    void window.loadURL(APP_ENTRY_URL);

    app.on('window-all-closed', () => app.quit());
    closeBeforeQuit(app, async () => {
      stopEvents();
      disposeHandlers();
      disposeDialog();
      await backend.close();
    });
  });
}

/** What the renderer's import dialog lets the user pick, by kind. */
const DIALOG_PROPERTIES: Record<ImportDialogKind, ('openFile' | 'openDirectory' | 'multiSelections')[]> = {
  files: ['openFile', 'multiSelections'],
  folder: ['openDirectory', 'multiSelections'],
};

function menuActions(backend: MammoBackend, window: () => BrowserWindow | null): MenuActions {
  const importWith =
    (format: 'dicom' | 'mias', properties: ('openFile' | 'openDirectory' | 'multiSelections')[]) =>
    async () => {
      const target = window();
      if (!target) return;
      const choice = await dialog.showOpenDialog(target, { properties });
      if (choice.canceled || !choice.filePaths.length) return;
      // Progress and the refreshed worklist reach the renderer through the import events.
      const result = await backend.importFiles({ paths: choice.filePaths, format });
      if (result.errors.length) {
        await dialog.showMessageBox(target, {
          type: 'warning',
          message: `Imported ${result.imported}, refused ${result.errors.length}`,
          detail: result.errors.map((error) => `${error.file}: ${error.reason}`).join('\n'),
        });
      }
    };
  return {
    importDicomFiles: () => void importWith('dicom', ['openFile', 'multiSelections'])(),
    importDicomFolder: () => void importWith('dicom', ['openDirectory'])(),
    importMiasFolder: () => void importWith('mias', ['openDirectory'])(),
    showAbout: () =>
      void dialog.showMessageBox({
        message: 'Mammo Workstation',
        detail: 'Research software, not a medical device. Viewer shortcuts: press ? in the study view.',
      }),
  };
}
