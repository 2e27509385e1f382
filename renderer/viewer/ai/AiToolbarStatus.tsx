import type { ReactNode } from 'react';
import type { AiDisplay } from './useAiDisplay.js';

/** The toolbar's one-line AI status: progress, or model, backend and case score. */
export function AiToolbarStatus({ ai }: { ai: AiDisplay | null }): ReactNode {
  const state = ai?.state;
  let text = 'AI: off';
  if (state) {
    switch (state.status) {
      case 'queued':
        text = 'AI: queued';
        break;
      case 'analysing':
        text = `AI: analysing ${Math.round(state.progress * 100)}%`;
        break;
      case 'ready':
        text = `AI: case ${state.analysis?.studyScore?.toFixed(2) ?? '—'}`;
        break;
      case 'unavailable':
        text = 'AI: no model';
        break;
      case 'error':
        text = 'AI: error';
        break;
    }
    if (ai && !ai.settings.visible) text += ' (hidden: A)';
  }
  return (
    <span
      className="ai-status"
      data-testid="ai-status"
      data-ai-study-state={state?.status ?? 'off'}
      title={state?.message ?? ''}
    >
      {text}
    </span>
  );
}
