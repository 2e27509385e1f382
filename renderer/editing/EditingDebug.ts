/**
 * Read-only hook for end-to-end tests on `window.__mammoEditing`: the mask the open editor holds,
 * exactly as it would be saved. Nothing here changes the editor.
 */
import type { EditorMask } from '../common/debugProbeTypes.js';

export interface EditingSnapshot {
  imageId: number;
  columns: number;
  rows: number;
  /** Base64 8-bit grayscale PNG, 255 inside: what Save would send. */
  maskPng(): string;
  painted(): number;
}

export class EditingDebug {
  private current: EditingSnapshot | null = null;

  /** Registers the open editor; returns the function that unregisters it. */
  register(snapshot: EditingSnapshot): () => void {
    this.current = snapshot;
    return () => {
      if (this.current === snapshot) this.current = null;
    };
  }

  /** The open editor's mask, or null when no editor is open. */
  mask(): EditorMask | null {
    const s = this.current;
    return s
      ? { imageId: s.imageId, columns: s.columns, rows: s.rows, maskPng: s.maskPng(), painted: s.painted() }
      : null;
  }
}

declare global {
  interface Window {
    __mammoEditing?: EditingDebug;
  }
}

/** The page's one editing debug hook (created on first use). */
export function editingDebug(): EditingDebug {
  window.__mammoEditing ??= new EditingDebug();
  return window.__mammoEditing;
}
