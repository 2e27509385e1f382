import type { ReactNode } from 'react';
import { useStudyAi, useStudyAnalysisService } from './AiContext.js';

/** The worklist's AI cell: queued, analysing with progress, done with the case score, or why not. */
export function AiStudyStatus({ studyId }: { studyId: number }): ReactNode {
  const state = useStudyAi(useStudyAnalysisService(), studyId);
  if (!state) return <span title="Not analysed in this session: opening the study starts it">—</span>;
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
