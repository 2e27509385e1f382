import type { ReactNode } from 'react';
import { detectedFindingTypes, detectionScope } from '../../../main/api/detectedFindings.js';
import type { ModelCard } from '../../../main/api/models.js';
import { colourBarGradient } from '../../ai/colourMap.js';
import { densityCaveat, densityValidation } from '../../ai/densityCaveat.js';
import { ModelMembers } from '../../ai/ModelMembers.js';
import { AI_DISPLAY_DEFAULTS } from '../../ai/constants.js';
import type { AiDisplay } from './useAiDisplay.js';
import { describeAgainstOperatingPoint, operatingPointSide } from './operatingPoint.js';

const COLOUR_BAR = colourBarGradient();

/**
 * The AI side panel: model and backend, progress, case / breast / image scores, the threshold and
 * opacity sliders with the colour bar, and the findings at the current threshold (a click centres
 * the view on one). Every control has a key, shown in its title.
 */
export function AiPanel({
  ai,
  viewLabels,
}: {
  ai: AiDisplay;
  viewLabels: ReadonlyMap<number, string>;
}): ReactNode {
  const { state, settings } = ai;
  const model = state?.model;
  return (
    <aside className="ai-panel" data-testid="ai-panel" aria-label="AI second look">
      <header className="ai-panel-head">
        <button
          type="button"
          aria-pressed={settings.visible}
          onClick={() => ai.run('aiToggle')}
          title="Show or hide all AI display (A)"
          data-testid="ai-toggle"
        >
          AI
        </button>
        <span
          className="ai-model"
          title={model ? `${model.card.architecture}, created ${model.card.createdAt}` : ''}
        >
          <span data-testid="ai-model">{model?.id ?? '—'}</span>
          {' · '}
          <span data-testid="ai-backend">{state?.backend ?? '…'}</span>
        </span>
      </header>
      {model && <ModelMembers card={model.card} compact />}
      {model && (
        <p className="ai-detects" role="note" data-testid="ai-detects">
          {detectionScope(detectedFindingTypes(model.card))}
        </p>
      )}
      {model && !model.card.validation && (
        <p className="ai-unvalidated" role="note" data-testid="ai-unvalidated">
          {model.id} has no validation metrics: its scores have not been measured against known cases.
        </p>
      )}
      {model && <DensityNote validation={densityValidation(model.card)} />}
      <StatusLine ai={ai} />
      {settings.visible && state && (
        <>
          <Scores ai={ai} viewLabels={viewLabels} />
          <section className="ai-controls" aria-label="AI display">
            <label className="ai-slider">
              <span title="Heatmap, outline and findings from this probability; starts at the model card's operating point ([ and ] lower and raise it)">
                Threshold
              </span>
              <input
                type="range"
                aria-label="Outline threshold"
                data-testid="ai-threshold"
                min={AI_DISPLAY_DEFAULTS.thresholdMin}
                max={AI_DISPLAY_DEFAULTS.thresholdMax}
                step={AI_DISPLAY_DEFAULTS.thresholdStep}
                value={settings.threshold}
                onChange={(event) => ai.set({ threshold: Number(event.target.value) })}
              />
              <output>{settings.threshold.toFixed(2)}</output>
            </label>
            <div className="ai-colour-bar" aria-hidden="true">
              <div className="ai-colour-ramp" style={{ background: COLOUR_BAR }}>
                <div className="ai-threshold-mark" style={{ left: `${settings.threshold * 100}%` }} />
              </div>
              <div className="ai-colour-ticks">
                <span>0</span>
                <span>0.5</span>
                <span>1</span>
              </div>
            </div>
            <label className="ai-slider">
              <span title="Heatmap opacity (, and .)">Opacity</span>
              <input
                type="range"
                aria-label="Heatmap opacity"
                data-testid="ai-opacity"
                min={0}
                max={1}
                step={AI_DISPLAY_DEFAULTS.opacityStep}
                value={settings.opacity}
                onChange={(event) => ai.set({ opacity: Number(event.target.value) })}
              />
              <output>{Math.round(settings.opacity * 100)}%</output>
            </label>
            <label className="ai-slider">
              <span title="Finding marks drawn per image, strongest first">Marks</span>
              <input
                type="number"
                aria-label="Marks per image"
                data-testid="ai-marks-per-image"
                min={0}
                max={AI_DISPLAY_DEFAULTS.marksPerImageMax}
                value={settings.marksPerImage}
                onChange={(event) => ai.set({ marksPerImage: Number(event.target.value) })}
              />
              <output>per image</output>
            </label>
            <div className="ai-switches">
              <label title="Heatmap (M)">
                <input type="checkbox" checked={settings.heatmap} onChange={() => ai.run('aiHeatmap')} />{' '}
                Heatmap
              </label>
              <label title="Outline and marks (O)">
                <input type="checkbox" checked={settings.outline} onChange={() => ai.run('aiOutline')} />{' '}
                Outline
              </label>
            </div>
          </section>
          <Findings ai={ai} />
        </>
      )}
      <footer className="ai-notice">Research decision support, not a diagnosis.</footer>
    </aside>
  );
}

function StatusLine({ ai }: { ai: AiDisplay }): ReactNode {
  const { state } = ai;
  if (!state) return <div className="ai-status-line">AI off</div>;
  switch (state.status) {
    case 'queued':
      return (
        <div className="ai-status-line" data-testid="ai-progress">
          Queued
        </div>
      );
    case 'analysing':
      return (
        <div className="ai-status-line" data-testid="ai-progress">
          Analysing <progress max={1} value={state.progress} /> {Math.round(state.progress * 100)}%
        </div>
      );
    case 'unavailable':
      return <div className="ai-status-line">{state.message}</div>;
    case 'error':
      return (
        <div className="ai-status-line ai-error" role="alert">
          {state.message}
        </div>
      );
    case 'ready':
      return null;
  }
}

const score = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : value.toFixed(2);

function Scores({ ai, viewLabels }: { ai: AiDisplay; viewLabels: ReadonlyMap<number, string> }): ReactNode {
  const state = ai.state!;
  const analysis = state.analysis;
  const operatingPoint = state.model?.card.thresholds.image;
  const side = operatingPointSide(analysis?.studyScore, operatingPoint);
  return (
    <table className="ai-scores" data-testid="ai-scores">
      <tbody>
        <tr>
          <th>Case</th>
          <td data-testid="ai-case-score">{score(analysis?.studyScore)}</td>
          <th>R</th>
          <td data-testid="ai-score-R">{score(analysis?.breastScores.R)}</td>
          <th>L</th>
          <td data-testid="ai-score-L">{score(analysis?.breastScores.L)}</td>
        </tr>
        {operatingPoint !== undefined && (
          <tr>
            <td
              colSpan={6}
              data-testid="ai-operating-point"
              data-side={side ?? ''}
              title="The model card's recommended image threshold: a case score at or above it is a positive call"
            >
              {side
                ? `${side} operating point ${score(operatingPoint)}`
                : `operating point ${score(operatingPoint)}`}
            </td>
          </tr>
        )}
        {state.imageIds.map((imageId) => {
          const imageScore = state.images[imageId]?.prediction?.imageScore;
          const imageSide = operatingPointSide(imageScore, operatingPoint);
          return (
            <tr
              key={imageId}
              className="ai-image-score"
              data-testid="ai-image-score"
              data-side={imageSide ?? ''}
              title={describeAgainstOperatingPoint(imageScore, operatingPoint)}
            >
              <th>{viewLabels.get(imageId) ?? `#${imageId}`}</th>
              <td colSpan={5}>
                {score(imageScore)}
                {imageSide && <span className={`ai-side-${imageSide}`}> {imageSide}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Findings({ ai }: { ai: AiDisplay }): ReactNode {
  const { findings, selected } = ai;
  return (
    <section className="ai-findings" aria-label="Findings">
      <div className="ai-findings-head" title="Next finding (N)">
        Findings ≥ {ai.settings.threshold.toFixed(2)}: {findings.length}
      </div>
      <ol data-testid="ai-findings">
        {findings.map(({ imageId, view, region }) => {
          const isSelected = selected?.imageId === imageId && selected.index === region.index;
          return (
            <li key={`${imageId}-${region.index}`}>
              <button
                type="button"
                data-testid="ai-finding"
                aria-pressed={isSelected}
                onClick={() => ai.select({ imageId, index: region.index })}
                title="Centre the view on this finding (N: next)"
              >
                <span className="ai-finding-view">{view}</span> #{region.index}{' '}
                <span className="ai-finding-score">{region.maxProbability.toFixed(2)}</span>
                {region.source && (
                  <span
                    className="ai-finding-role"
                    data-testid="ai-finding-role"
                    title={`Found by the model's ${region.source.member} member`}
                  >
                    {region.source.role}
                  </span>
                )}
                <span className="ai-finding-area">
                  {region.areaMm2 === null ? `${region.areaPixels} px` : `${region.areaMm2.toFixed(1)} mm²`}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** How well the model reads each breast density, as measured; dense breasts hide lesions (masking). */
function DensityNote({ validation }: { validation: ModelCard['validation'] }): ReactNode {
  const caveat = densityCaveat(validation);
  if (!caveat) return null;
  return (
    <p className="ai-density" role="note" data-testid="ai-density">
      {caveat.line}
      {caveat.weakIn.length > 0 && (
        <strong> Weak in {caveat.weakIn.join(' and ')} breasts: a low score there means little.</strong>
      )}
    </p>
  );
}
