import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../electron/windowState.js';
import { useTempDir } from '../helpers/tempDir.js';

const tempDir = useTempDir('mammo-window-');

describe('window state', () => {
  it('round-trips, and falls back to the default when missing or malformed', () => {
    const file = join(tempDir(), 'window-state.json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(file, { x: 10, y: 20, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: true });
    writeFileSync(file, '{"width": 5}');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
