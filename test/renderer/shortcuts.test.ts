import { describe, expect, it } from 'vitest';
import {
  EDITOR_SHORTCUTS,
  SHORTCUT_SECTIONS,
  VIEWER_SHORTCUTS,
  WORKLIST_SHORTCUTS,
  commandForKey,
  keyName,
} from '../../renderer/app/shortcuts.js';

const press = (key: string, modifiers: { ctrlKey?: boolean; shiftKey?: boolean; altKey?: boolean } = {}) => ({
  key,
  ctrlKey: modifiers.ctrlKey ?? false,
  metaKey: false,
  altKey: modifiers.altKey ?? false,
  shiftKey: modifiers.shiftKey ?? false,
});

describe('the shortcut registry', () => {
  it('binds no key to two different actions, within a page or between pages', () => {
    const meaning = new Map<string, Set<string>>();
    for (const { shortcuts } of SHORTCUT_SECTIONS)
      for (const { keys, command } of shortcuts)
        for (const key of keys) meaning.set(key, (meaning.get(key) ?? new Set()).add(command));
    const ambiguous = [...meaning].filter(([, commands]) => commands.size > 1).map(([key]) => key);
    expect(ambiguous).toEqual([]);
    // The keys the reader found meaning one thing in the viewer and another in the editor.
    for (const key of ['b', 'f', 'a', '[', ']']) {
      const viewer = commandForKey(VIEWER_SHORTCUTS, press(key));
      const editor = commandForKey(EDITOR_SHORTCUTS, press(key));
      expect(viewer === null || editor === null || viewer === editor, key).toBe(true);
    }
  });

  it('lists every page in the help, each shortcut once', () => {
    expect(SHORTCUT_SECTIONS.map((section) => section.shortcuts)).toEqual([
      VIEWER_SHORTCUTS,
      EDITOR_SHORTCUTS,
      WORKLIST_SHORTCUTS,
    ]);
    for (const { shortcuts } of SHORTCUT_SECTIONS) {
      const commands = shortcuts.map((shortcut) => shortcut.command);
      expect(new Set(commands).size).toBe(commands.length);
    }
  });

  it('names key presses the way the tables write them', () => {
    expect(keyName(press('F'))).toBe('f');
    expect(keyName(press('Escape'))).toBe('Escape');
    expect(keyName(press('s', { ctrlKey: true }))).toBe('Ctrl+s');
    expect(keyName(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+z');
    expect(keyName(press('a', { altKey: true }))).toBeNull();
  });

  it('dispatches each page from its own table and leaves chords it lacks to the browser', () => {
    expect(commandForKey(VIEWER_SHORTCUTS, press('I'))).toBe('invert');
    expect(commandForKey(VIEWER_SHORTCUTS, press('f'))).toBe('fullscreen');
    expect(commandForKey(VIEWER_SHORTCUTS, press('r', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(VIEWER_SHORTCUTS, press('x'))).toBeNull();
    expect(commandForKey(EDITOR_SHORTCUTS, press('s', { ctrlKey: true }))).toBe('save');
    expect(commandForKey(EDITOR_SHORTCUTS, press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(commandForKey(EDITOR_SHORTCUTS, press('{', { shiftKey: true }))).toBe('brushSmaller');
    expect(commandForKey(EDITOR_SHORTCUTS, press('?', { shiftKey: true }))).toBe('help');
    expect(commandForKey(EDITOR_SHORTCUTS, press('b'))).toBeNull();
    // The worklist's table and page keys.
    expect(commandForKey(WORKLIST_SHORTCUTS, press('ArrowDown'))).toBe('activeDown');
    expect(commandForKey(WORKLIST_SHORTCUTS, press('ArrowUp'))).toBe('activeUp');
    expect(commandForKey(WORKLIST_SHORTCUTS, press('Home'))).toBe('selectFirst');
    expect(commandForKey(WORKLIST_SHORTCUTS, press('End'))).toBe('selectLast');
    expect(commandForKey(WORKLIST_SHORTCUTS, press('Enter'))).toBe('openSelected');
    expect(commandForKey(WORKLIST_SHORTCUTS, press('?', { shiftKey: true }))).toBe('help');
    expect(commandForKey(WORKLIST_SHORTCUTS, press('ArrowLeft'))).toBeNull();
  });
});
