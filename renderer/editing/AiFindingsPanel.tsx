import type { ReactNode } from 'react';
import type { AnnotationFindings } from '../../main/api/annotations.js';
import type { Finding, Prediction } from '../../main/api/predictions.js';

export interface AiFindingsPanelProps {
  prediction: Prediction | null;
  /** The findings listed (the first EDITING_DEFAULTS.findingsShown). */
  shown: readonly Finding[];
  findings: AnnotationFindings;
  /** The AI mask's threshold as the editor holds it; the prediction's when null. */
  threshold: number | null;
  onThreshold(value: number): void;
  onDecide(finding: Finding, decision: 'accepted' | 'rejected'): void;
}

/** The editor's AI section: the model, the AI mask's threshold, and Accept / Reject per finding. */
export function AiFindingsPanel({
  prediction,
  shown,
  findings,
  threshold,
  onThreshold,
  onDecide,
}: AiFindingsPanelProps): ReactNode {
  const decisionOf = (index: number) => findings.decisions.find((d) => d.findingIndex === index)?.decision;
  return (
    <section>
      <h3>AI</h3>
      <p data-testid="editor-model">
        {prediction
          ? `Model ${prediction.modelId} · ${prediction.findings.length} findings`
          : 'No AI prediction'}
      </p>
      {prediction && (
        <label className="field">
          Threshold
          <input
            type="number"
            aria-label="AI mask threshold"
            min={0}
            max={1}
            step={0.05}
            value={threshold ?? prediction.findingThreshold}
            onChange={(event) => onThreshold(Math.min(1, Math.max(0, Number(event.target.value))))}
          />
        </label>
      )}
      <ol className="finding-list" data-testid="finding-list">
        {shown.map((finding) => (
          <li
            key={finding.index}
            data-testid="finding"
            data-index={finding.index}
            data-decision={decisionOf(finding.index) ?? ''}
          >
            <span>
              #{finding.index} p={finding.maxProbability.toFixed(2)}
              {finding.areaMm2 !== null ? ` · ${finding.areaMm2.toFixed(0)} mm²` : ''}
            </span>
            <button
              type="button"
              aria-pressed={decisionOf(finding.index) === 'accepted'}
              onClick={() => onDecide(finding, 'accepted')}
            >
              Accept
            </button>
            <button
              type="button"
              aria-pressed={decisionOf(finding.index) === 'rejected'}
              onClick={() => onDecide(finding, 'rejected')}
            >
              Reject
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
