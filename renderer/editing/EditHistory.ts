import type { AnnotationFindings } from '../../main/api/annotations.js';
import { EDITING_DEFAULTS } from './constants.js';

/** A change of the mask: the pixels that changed, with their values before and after. */
export interface MaskChange {
  kind: 'mask';
  label: string;
  indices: Uint32Array;
  before: Uint8Array;
  after: Uint8Array;
}

/** A change of the finding decisions or added findings. */
export interface FindingsChange {
  kind: 'findings';
  label: string;
  before: AnnotationFindings;
  after: AnnotationFindings;
  /** Mask pixels changed by the same step (a rejected finding's region leaving the mask). */
  mask?: MaskChange;
}

export type EditChange = MaskChange | FindingsChange;

/**
 * The diff between two masks of the same size, or null when they are equal. Only changed pixels
 * are kept, so a brush stroke on a 4k x 3k image costs what it touched, not 12 MB.
 */
export function diffMasks(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  label: string,
): MaskChange | null {
  const changed: number[] = [];
  for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) changed.push(i);
  if (!changed.length) return null;
  const indices = Uint32Array.from(changed);
  return {
    kind: 'mask',
    label,
    indices,
    before: Uint8Array.from(indices, (i) => before[i]!),
    after: Uint8Array.from(indices, (i) => after[i]!),
  };
}

/** Writes one side of a mask change into `mask`. */
export function applyMaskChange(
  mask: { [index: number]: number },
  change: MaskChange,
  side: 'before' | 'after',
): void {
  const values = change[side];
  for (let k = 0; k < change.indices.length; k++) mask[change.indices[k]!] = values[k]!;
}

/**
 * The editor's undo/redo stack: every change (mask strokes and finding decisions alike) is one
 * entry. A new change clears the redo side.
 *
 * @example
 * const history = new EditHistory();
 * history.push(diffMasks(previous, current, 'brush')!);
 * const undone = history.undo(); // apply undone's `before` side
 */
export class EditHistory {
  private readonly done: EditChange[] = [];
  private readonly undone: EditChange[] = [];

  constructor(private readonly limit: number = EDITING_DEFAULTS.historyLimit) {}

  get undoDepth(): number {
    return this.done.length;
  }

  get redoDepth(): number {
    return this.undone.length;
  }

  push(change: EditChange): void {
    this.done.push(change);
    if (this.done.length > this.limit) this.done.shift();
    this.undone.length = 0;
  }

  /** The change to revert (apply its `before`), or null when there is none. */
  undo(): EditChange | null {
    const change = this.done.pop() ?? null;
    if (change) this.undone.push(change);
    return change;
  }

  /** The change to re-apply (its `after`), or null. */
  redo(): EditChange | null {
    const change = this.undone.pop() ?? null;
    if (change) this.done.push(change);
    return change;
  }

  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
  }
}
