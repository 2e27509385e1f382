import type { ReactNode } from 'react';
import { describeAgainstOperatingPoint, operatingPointSide } from '../viewer/ai/operatingPoint.js';
import { useStudyAi, useStudyAnalysisService } from './AiContext.js';

/** A case score and, beside it, its side of the operating point: "0.62 above 0.50". */
function CaseScore({
  status,
  score,
  operatingPoint,
  by,
}: {
  status: 'stored' | 'ready';
  score: number | null;
  operatingPoint: number | null;
  by: string;
}): ReactNode {
  const side = operatingPointSide(score, operatingPoint);
  return (
    <span
      data-ai-status={status}
      data-ai-side={side ?? ''}
      className={side ? `ai-side-${side}` : undefined}
      title={`Case score by ${by}: ${describeAgainstOperatingPoint(score, operatingPoint)}`}
    >
      done {score?.toFixed(2) ?? ''}
      {side && ` · ${side} ${operatingPoint!.toFixed(2)}`}
    </span>
  );
}

/**
 * The worklist's AI cell: queued, analysing with progress, done with the case score and its side of
 * the model card's operating point, or why not.
 */
export function AiStudyStatus({
  studyId,
  storedScore,
  storedOperatingPoint,
}: {
  studyId: number;
  /** The case score of an analysis stored earlier (another session, the CLI), or null. */
  storedScore: number | null;
  /** The operating point on the card of the model behind `storedScore`, or null. */
  storedOperatingPoint: number | null;
}): ReactNode {
  const state = useStudyAi(useStudyAnalysisService(), studyId);
  if (!state)
    return storedScore === null ? (
      <span title="Not analysed yet: opening the study starts it">—</span>
    ) : (
      <CaseScore
        status="stored"
        score={storedScore}
        operatingPoint={storedOperatingPoint}
        by="the stored analysis"
      />
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
        <CaseScore
          status="ready"
          score={state.analysis?.studyScore ?? null}
          operatingPoint={state.model?.card.thresholds.image ?? null}
          by={state.model?.id ?? 'the model'}
        />
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
