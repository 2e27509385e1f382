/**
 * The application menu, as a template: what each item does is passed in, so the template itself is
 * plain data that tests can read without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do. */
export interface MenuActions {
  importDicomFiles(): void;
  importDicomFolder(): void;
  importMiasFolder(): void;
  showAbout(): void;
}

/**
 * The File / View / Window / Help menu. A packaged app offers no developer tools (no item and so
 * no shortcut): they would let anyone at the keyboard run code with the renderer's access to the
 * back end.
 *
 * @example
 * Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, { packaged: app.isPackaged })));
 */
export function menuTemplate(
  actions: MenuActions,
  { packaged }: { packaged: boolean },
): MenuItemConstructorOptions[] {
  const developerItems: MenuItemConstructorOptions[] = packaged
    ? []
    : [{ role: 'toggleDevTools', accelerator: 'CmdOrCtrl+Shift+I' }];
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Import DICOM Files…', accelerator: 'CmdOrCtrl+O', click: actions.importDicomFiles },
        { label: 'Import DICOM Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.importDicomFolder },
        { label: 'Import mini-MIAS Folder…', click: actions.importMiasFolder },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'togglefullscreen', accelerator: 'F11' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'reload', accelerator: 'CmdOrCtrl+R' },
        ...developerItems,
      ],
    },
    { role: 'windowMenu' },
    { label: 'Help', submenu: [{ label: 'About', click: actions.showAbout }] },
  ];
}
