import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { type MenuActions, menuTemplate } from '../../electron/menu.js';

function allItems(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? allItems(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

function recordingActions(): MenuActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    importDicomFiles: () => calls.push('files'),
    importDicomFolder: () => calls.push('folder'),
    importMiasFolder: () => calls.push('mias'),
    showAbout: () => calls.push('about'),
  };
}

/** Electron's roles that open the developer tools, and Chromium's shortcuts for them. */
const DEVTOOLS_ROLES = ['toggledevtools'];
const DEVTOOLS_ACCELERATORS = /Shift\+I$|Shift\+J$|Shift\+C$|^F12$/i;

describe('the application menu', () => {
  it('offers no developer tools in a packaged app, by item or by shortcut', () => {
    const items = allItems(menuTemplate(recordingActions(), { packaged: true }));
    expect(items.filter((item) => DEVTOOLS_ROLES.includes(String(item.role ?? '').toLowerCase()))).toEqual(
      [],
    );
    expect(items.filter((item) => DEVTOOLS_ACCELERATORS.test(String(item.accelerator ?? '')))).toEqual([]);
    expect(items.some((item) => /dev ?tools|inspect/i.test(String(item.label ?? '')))).toBe(false);
  });

  it('keeps them in a development run', () => {
    const items = allItems(menuTemplate(recordingActions(), { packaged: false }));
    expect(items.map((item) => String(item.role ?? '').toLowerCase())).toContain('toggledevtools');
  });

  it('runs the import and about actions from their items', () => {
    const actions = recordingActions();
    const items = allItems(menuTemplate(actions, { packaged: true }));
    for (const label of [
      'Import DICOM Files…',
      'Import DICOM Folder…',
      'Import mini-MIAS Folder…',
      'About',
    ]) {
      const click = items.find((item) => item.label === label)?.click as (() => void) | undefined;
      click?.();
    }
    expect(actions.calls).toEqual(['files', 'folder', 'mias', 'about']);
  });
});
