/** The main window's bounds, kept between launches in the user-data folder. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../main/common/atomicWrite.js';

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean().default(false),
});

export type WindowState = z.infer<typeof windowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1600, height: 1000, maximized: false };

/** The saved state, or the default when the file is missing or malformed. */
export function loadWindowState(file: string): WindowState {
  try {
    return windowStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, JSON.stringify(state));
}
