import { READER_NAME_KEY } from './constants.js';

/** The reader's name as saved in this browser's settings ('' when never set). */
export function loadReaderName(): string {
  try {
    return localStorage.getItem(READER_NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveReaderName(name: string): void {
  try {
    localStorage.setItem(READER_NAME_KEY, name.trim());
  } catch {
    // Storage disabled: the name lasts for this page only.
  }
}
