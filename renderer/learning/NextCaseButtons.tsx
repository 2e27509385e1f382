import { type ReactNode, useState } from 'react';
import type { NextCase } from '../../main/api/annotations.js';
import type { ApiClient } from '../api/ApiClient.js';
import { messageOf } from '../common/messageOf.js';

/** "Next case": the unreviewed case the model is least sure of, or a random one. */
export function NextCaseButtons({
  client,
  excludeStudyId,
  onOpen,
}: {
  client: ApiClient;
  excludeStudyId?: number;
  onOpen(next: NextCase): void;
}): ReactNode {
  const [note, setNote] = useState<string | null>(null);
  const go = async (strategy: NextCase['strategy']): Promise<void> => {
    try {
      const next = await client.nextCase({ strategy, ...(excludeStudyId ? { excludeStudyId } : {}) });
      if (next) onOpen(next);
      else setNote('No unreviewed case left.');
    } catch (error) {
      setNote(messageOf(error));
    }
  };
  return (
    <span className="toolbar-group" role="group" aria-label="Next case">
      <button
        type="button"
        onClick={() => void go('uncertainty')}
        title="The unreviewed case the model is least sure of"
      >
        Next case (uncertain)
      </button>
      <button type="button" onClick={() => void go('random')}>
        Next case (random)
      </button>
      {note && (
        <span className="muted" role="status">
          {note}
        </span>
      )}
    </span>
  );
}
