import type { ReactNode } from 'react';

/** A save that lost to another reader's: which version won, and whose. */
export interface SaveConflict {
  version: number;
  author: string | null;
}

/**
 * Says that another reader saved this image while this one edited it, that nothing was lost (the
 * strokes stay on screen and in this reader's draft), and offers to reapply them on top.
 */
export function SaveConflictNotice({
  conflict,
  busy,
  onReapply,
}: {
  conflict: SaveConflict;
  busy: boolean;
  onReapply(): void;
}): ReactNode {
  return (
    <div className="banner" role="alert" data-testid="save-conflict">
      Version {conflict.version}
      {conflict.author ? ` by ${conflict.author}` : ''} was saved while you edited. Your strokes are kept here
      and in your draft.{' '}
      <button type="button" onClick={onReapply} disabled={busy}>
        Reapply my strokes on top of version {conflict.version}
      </button>
    </div>
  );
}
