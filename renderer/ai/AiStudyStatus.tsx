import type { ReactNode } from 'react';
import { useStudyAi, useStudyAnalysisService } from './AiContext.js';

/** The worklist's AI cell: queued, analysing with progress, done with the case score, or why not. */
export function AiStudyStatus({
  studyId,
  storedScore,
}: {
  studyId: number;
  /** The case score of an analysis stored earlier (another session, the CLI), or null. */
  storedScore: number | null;
}): ReactNode {
  const state = useStudyAi(useStudyAnalysisService(), studyId);
  if (!state)
    return storedScore === null ? (
      <span title="Not analysed yet: opening the study starts it">—</span>
    ) : (
      <span data-ai-status="stored" title="Case score of the stored analysis">
        done {storedScore.toFixed(2)}
      </span>
    );
  switch (state.status) {
    case 'queued':
      return <span data-ai-status="queued">queued</span>;
    case 'analysing':
      return (
        <span data-ai-status="analysing" className="ai-progress-cell">
          <progress max={1} value={state.progress} /> {Math.round(state.progress * 100)}%
        </span>
      );
    case 'ready':
      return (
        <span data-ai-status="ready" title={`Case score by ${state.model?.id ?? 'the model'}`}>
          done {state.analysis?.studyScore?.toFixed(2) ?? ''}
        </span>
      );
    case 'unavailable':
      return (
        <span data-ai-status="unavailable" title={state.message ?? ''}>
          no model
        </span>
      );
    case 'error':
      return (
        <span data-ai-status="error" className="ai-error" title={state.message ?? ''}>
          error
        </span>
      );
  }
}
