import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { API_EVENTS } from '../../main/api/contract.js';
import type { ModelList, ModelVersion, ValidationMetrics } from '../../main/api/models.js';
import { formatMetric } from '../ai/formatMetric.js';
import { ModelMembers } from '../ai/ModelMembers.js';
import type { Prediction } from '../../main/api/predictions.js';
import type {
  FineTuneJob,
  FineTunePlan,
  GateComparison,
  GateSetVerdict,
  PromotionGateResult,
  TrainingProgressInfo,
  TrainingSample,
} from '../../main/api/training.js';
import type { ApiClient } from '../api/ApiClient.js';
import { useApiEvent } from '../api/ApiContext.js';
import '../editing/editing.css';
import { promotionQuestion } from './confirmPromotion.js';
import { leftOutSentence } from './leftOutSentence.js';
import { type LossPoint, LossChart } from './LossChart.js';
import { messageOf } from '../common/messageOf.js';

export interface LearningPanelProps {
  client: ApiClient;
  /** The image last edited, for "re-analyse with the new model". */
  imageId?: number | null;
  onClose(): void;
  /** Rendered in the toolbar (e.g. the "Next case" buttons). */
  toolbarExtras?: ReactNode;
}

const ACTIVE: readonly FineTuneJob['status'][] = ['queued', 'running'];

/**
 * Learning from corrections: what is not learned yet, the current model and its metrics, the
 * running fine-tune (progress, live loss, ETA, cancel), the gate's verdict when it ends, promote
 * and rollback, the version history and re-analysis with the new model.
 */
export function LearningPanel({
  client,
  imageId = null,
  onClose,
  toolbarExtras,
}: LearningPanelProps): ReactNode {
  const [samples, setSamples] = useState<TrainingSample[]>([]);
  const [versions, setVersions] = useState<ModelVersion[]>([]);
  const [actions, setActions] = useState<Pick<ModelList, 'rollback' | 'discardRefusals'> | null>(null);
  const [jobs, setJobs] = useState<FineTuneJob[]>([]);
  const [plan, setPlan] = useState<FineTunePlan | null>(null);
  const [live, setLive] = useState<{ jobId: number; progress: TrainingProgressInfo } | null>(null);
  const [loss, setLoss] = useState<Record<number, LossPoint[]>>({});
  /** Steps the reader typed; until then the field shows the back end's default (the plan's) and sends none. */
  const [steps, setSteps] = useState<number | null>(null);
  const [autoPromote, setAutoPromote] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reanalysis, setReanalysis] = useState<Prediction | null>(null);
  const [loaded, setLoaded] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const [unlearned, models, list, nextPlan] = await Promise.all([
        client.listTrainingSamples({ unlearnedOnly: true }),
        client.listModels({}),
        client.listJobs({}),
        client.planFineTune({}),
      ]);
      setSamples(unlearned);
      setPlan(nextPlan);
      setVersions(models.versions);
      setActions({ rollback: models.rollback, discardRefusals: models.discardRefusals });
      setJobs(list);
      setLoss((current) => {
        const next = { ...current };
        for (const job of list)
          if (job.lossHistory?.length && !next[job.id]?.length) next[job.id] = job.lossHistory;
        return next;
      });
      setLoaded(true);
    } catch (thrown) {
      setError(messageOf(thrown));
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useApiEvent(API_EVENTS.fineTuneProgress, ({ jobId, progress }) => {
    setLive({ jobId, progress });
    setLoss((current) => {
      const points = current[jobId] ?? [];
      if (points.at(-1)?.step === progress.step) return current;
      return { ...current, [jobId]: [...points, { step: progress.step, loss: progress.loss }] };
    });
    setJobs((current) =>
      current.map((job) => (job.id === jobId ? { ...job, status: 'running', progress } : job)),
    );
  });
  useApiEvent(API_EVENTS.fineTuneFinished, () => {
    void refresh();
  });

  const act = useCallback(
    async (action: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
        await refresh();
      } catch (thrown) {
        setError(messageOf(thrown));
      } finally {
        setBusy(false);
      }
    },
    [refresh],
  );

  const current = versions.find((version) => version.status === 'current') ?? null;
  const rollback = actions?.rollback ?? null;
  const running = jobs.find((job) => ACTIVE.includes(job.status)) ?? null;
  const finished = jobs.filter((job) => !ACTIVE.includes(job.status)).sort((a, b) => b.id - a.id)[0] ?? null;
  const corrected = samples.filter((sample) => sample.labelSource === 'annotation');
  const progress = running ? (live?.jobId === running.id ? live.progress : running.progress) : null;
  const candidate = finished?.candidateModel
    ? (versions.find((v) => v.id === finished.candidateModel) ?? null)
    : null;

  return (
    <section
      className="learning-panel"
      data-testid="learning-panel"
      data-loaded={loaded ? 'true' : 'false'}
      data-unlearned={corrected.length}
      data-current-model={current?.id ?? ''}
      data-job-state={running?.status ?? finished?.status ?? 'none'}
      data-job-id={running?.id ?? finished?.id ?? ''}
      data-job-step={progress?.step ?? ''}
      data-candidate-id={finished?.candidateModel ?? ''}
    >
      <header className="viewer-toolbar">
        <button type="button" onClick={onClose} title="Back">
          ◀ Back
        </button>
        <span className="viewer-title">Learning from corrections</span>
        {toolbarExtras}
      </header>
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <div className="learning-grid">
        <section aria-label="Training data">
          <h3>Not yet learned by the current model</h3>
          <p data-testid="unlearned-count" data-samples={samples.length}>
            A fine-tune would learn {samples.length} sample{samples.length === 1 ? '' : 's'}:{' '}
            {corrected.length} from {new Set(corrected.map((s) => s.annotationId)).size} saved correction
            {corrected.length === 1 ? '' : 's'} and {samples.length - corrected.length} from imported ground
            truth (training patients only; validation patients judge it).
          </p>
          <h3>Current model</h3>
          {current ? (
            <div data-testid="current-model" data-model-id={current.id}>
              <p>
                <strong>{current.id}</strong> ({current.origin}
                {current.card.parentId ? `, from ${current.card.parentId}` : ''})
              </p>
              <MetricsLine metrics={current.card.validation} />
              <ModelMembers card={current.card} />
            </div>
          ) : (
            <p>No model installed.</p>
          )}
          <h3>Fine-tune</h3>
          <label className="field">
            Steps
            <input
              type="number"
              aria-label="Fine-tune steps"
              min={1}
              max={100000}
              value={steps ?? plan?.steps ?? ''}
              onChange={(event) => setSteps(Math.max(1, Math.round(Number(event.target.value) || 1)))}
            />
          </label>{' '}
          <button
            type="button"
            className="primary"
            disabled={busy || running !== null || !current || plan?.refusal != null}
            onClick={() =>
              void act(() =>
                client.startFineTune({
                  ...(steps !== null ? { steps } : {}),
                  ...(autoPromote ? { autoPromote } : {}),
                }),
              )
            }
          >
            Fine-tune
          </button>{' '}
          <label
            className="field"
            title="Off: the candidate waits for you to promote it, whatever the gate says"
          >
            <input
              type="checkbox"
              aria-label="Promote automatically when the gate passes"
              checked={autoPromote}
              onChange={(event) => setAutoPromote(event.target.checked)}
            />{' '}
            Promote automatically when the gate passes
          </label>
          {plan && !running && <PlanLines plan={plan} />}
          {running && (
            <div data-testid="running-job" data-status={running.status}>
              <p>
                Job {running.id} ({running.status}) · step {progress?.step ?? 0}/
                {progress?.totalSteps ?? running.steps}
                {progress
                  ? ` · epoch ${progress.epoch} · loss ${progress.loss.toFixed(4)} · ${progress.samplesPerSecond.toFixed(1)} samples/s · ETA ${formatEta(progress.etaSeconds)}`
                  : ''}
              </p>
              <progress
                max={progress?.totalSteps ?? running.steps}
                value={progress?.step ?? 0}
                aria-label="Fine-tune progress"
              />
              <button
                type="button"
                disabled={busy}
                onClick={() => void act(() => client.cancelJob({ jobId: running.id }))}
              >
                Cancel
              </button>
            </div>
          )}
          {(running ?? finished) && (
            <div>
              <LossChart
                points={loss[(running ?? finished)!.id] ?? []}
                totalSteps={(running ?? finished)!.steps}
              />
            </div>
          )}
        </section>
        <section aria-label="Result">
          <h3>Last fine-tune</h3>
          {finished ? (
            <div
              data-testid="finished-job"
              data-status={finished.status}
              data-promoted={finished.gate?.promoted ? 'true' : 'false'}
              data-passed={gatePassed(finished.gate) ? 'true' : 'false'}
            >
              <p>
                Job {finished.id}: {finished.status}
                {finished.error ? ` (${finished.error})` : ''}
              </p>
              {finished.gate && (
                <GateTable gate={finished.gate} since={sinceTheGate(finished.gate, candidate)} />
              )}
              {candidate && candidate.status !== 'current' && (
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() =>
                    confirmPromotion(candidate, finished.gate) &&
                    void act(() => client.promoteModel({ modelId: candidate.id }))
                  }
                >
                  Promote {candidate.id}
                </button>
              )}
            </div>
          ) : (
            <p className="muted">No fine-tune has run yet.</p>
          )}
          <p>
            <button
              type="button"
              disabled={busy || !rollback || 'refusal' in rollback}
              title={rollback && 'refusal' in rollback ? rollback.refusal : undefined}
              aria-describedby="rollback-reason"
              onClick={() => void act(() => client.rollbackModel({}))}
            >
              {rollback && 'to' in rollback
                ? `Roll back to ${rollback.to}`
                : 'Roll back to the previous model'}
            </button>{' '}
            {rollback && 'refusal' in rollback && (
              <span id="rollback-reason" className="muted" data-testid="rollback-reason">
                {capitalised(rollback.refusal)}.
              </span>
            )}{' '}
            <button
              type="button"
              disabled={busy || imageId === null}
              title={
                imageId === null
                  ? 'Open a case first'
                  : `Analyse image ${imageId} again with the current model`
              }
              onClick={() =>
                void act(async () => {
                  if (imageId !== null) setReanalysis(await client.analyzeImage({ imageId, force: true }));
                })
              }
            >
              Re-analyse with the new model
            </button>
          </p>
          {reanalysis && (
            <p data-testid="reanalysis" data-model-id={reanalysis.modelId} role="status">
              Image {reanalysis.imageId} re-analysed by {reanalysis.modelId}: score{' '}
              {reanalysis.imageScore.toFixed(3)}, {reanalysis.findings.length} findings
            </p>
          )}
        </section>
      </div>
      <h3>Model versions</h3>
      <table className="model-table" data-testid="model-versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Status</th>
            <th>Lineage</th>
            <th>Created</th>
            <th>AUC</th>
            <th>Sens @1FP</th>
            <th>Dice</th>
            <th>Val. images</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr
              key={version.id}
              data-testid="model-version"
              data-model-id={version.id}
              data-status={version.status}
            >
              <td>{version.id}</td>
              <td>{version.status}</td>
              <td>{lineage(version, versions)}</td>
              <td>{new Date(version.card.createdAt).toLocaleString()}</td>
              <td>{formatMetric(version.card.validation?.imageAUC)}</td>
              <td>{formatMetric(version.card.validation?.lesionSensitivityAt1FP)}</td>
              <td>{formatMetric(version.card.validation?.lesionDice)}</td>
              <td>{version.card.validation?.images ?? '–'}</td>
              <td>
                {version.status !== 'current' && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      confirmPromotion(version, gateOf(version.id, jobs)) &&
                      void act(() => client.promoteModel({ modelId: version.id }))
                    }
                    aria-label={`Promote ${version.id}`}
                  >
                    Promote
                  </button>
                )}
                {version.status === 'candidate' && version.origin === 'workspace' && (
                  <DiscardButton
                    modelId={version.id}
                    refusal={actions?.discardRefusals[version.id] ?? null}
                    busy={busy}
                    onDiscard={() =>
                      window.confirm(discardQuestion(version.id)) &&
                      void act(() => client.discardModel({ modelId: version.id }))
                    }
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What a fine-tune started now would learn from and be judged on, or why it cannot start. */
function PlanLines({ plan }: { plan: FineTunePlan }): ReactNode {
  const { corrections, groundTruth, judgedOn } = plan;
  return (
    <div data-testid="finetune-plan" data-judged-on={judgedOn.kind}>
      {plan.refusal && (
        <p className="banner" role="status" data-testid="finetune-refusal">
          Nothing to fine-tune: {plan.refusal}
        </p>
      )}
      <p data-testid="finetune-learns">
        Learns from {corrections.images} corrected image{corrections.images === 1 ? '' : 's'} (
        {corrections.samples} sample{corrections.samples === 1 ? '' : 's'}) and {groundTruth.images} imported
        ground-truth image{groundTruth.images === 1 ? '' : 's'} ({groundTruth.samples} sample
        {groundTruth.samples === 1 ? '' : 's'}), replaying up to {plan.replay} learned sample
        {plan.replay === 1 ? '' : 's'}.
      </p>
      {plan.leftOut && <p data-testid="finetune-left-out">{leftOutSentence(plan.leftOut)}</p>}
      {plan.superseded > 0 && (
        <p data-testid="finetune-superseded">
          One label per image: on {plan.superseded} image{plan.superseded === 1 ? '' : 's'} the newest saved
          correction replaces the imported ground truth.
        </p>
      )}
      <p data-testid="finetune-judged-on">
        {judgedOn.kind === 'workspace'
          ? `Judged on this workspace's ${judgedOn.patients} validation patient${judgedOn.patients === 1 ? '' : 's'} (${judgedOn.images} images), against ${plan.parentModel ?? 'the current model'} measured on the same images.`
          : judgedOn.kind === 'parent-card'
            ? `This workspace has no validation patients, so the result cannot be measured here. Its reference is ${plan.parentModel ?? 'the parent'}'s card: image AUC ${formatMetric(judgedOn.imageAUC)}, lesion sensitivity ${formatMetric(judgedOn.lesionSensitivityAt1FP)} at 1 FP on ${judgedOn.images} images (${judgedOn.split}). The result stays a candidate for you to measure and promote by hand.`
            : 'Nothing to judge it on: no validation patients here and no validation metrics on the current model card. The result stays a candidate.'}
      </p>
    </div>
  );
}

/** What happened to a gate's candidate after the gate spoke, so its verdict does not read as now. */
function sinceTheGate(gate: PromotionGateResult, candidate: ModelVersion | null): string | null {
  const id = gate.candidate.modelId;
  if (!candidate) return `${id} has been discarded since.`;
  if (candidate.status === 'current' && !gate.promoted)
    return `${id} has been promoted by hand since: it is the current model.`;
  if (candidate.status === 'retired') return `${id} has been replaced by another model since.`;
  if (candidate.status === 'candidate' && gate.promoted)
    return `${id} has been rolled back since: it is a candidate again.`;
  return null;
}

function discardQuestion(modelId: string): string {
  return `Discard ${modelId}? Its files and cached analyses are deleted. This cannot be undone.`;
}

/** Discard, or, where the server would refuse it, a disabled button and the reason. */
function DiscardButton({
  modelId,
  refusal,
  busy,
  onDiscard,
}: {
  modelId: string;
  refusal: string | null;
  busy: boolean;
  onDiscard(): void;
}): ReactNode {
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={busy || refusal !== null}
        title={refusal ?? undefined}
        onClick={onDiscard}
        aria-label={`Discard ${modelId}`}
      >
        Discard
      </button>
      {refusal && (
        <span className="muted" data-testid="discard-reason">
          {' '}
          {capitalised(refusal)}.
        </span>
      )}
    </>
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function GateTable({ gate, since }: { gate: PromotionGateResult; since: string | null }): ReactNode {
  const passed = gatePassed(gate);
  return (
    <div data-testid="gate">
      {gate.sets?.length ? (
        gate.sets.map((set) => <GateSetTable key={set.name} set={set} gate={gate} />)
      ) : (
        <GateSummaryTable gate={gate} />
      )}
      <p
        data-testid="gate-verdict"
        data-promoted={gate.promoted ? 'true' : 'false'}
        data-passed={passed ? 'true' : 'false'}
      >
        Gate:{' '}
        {gate.promoted
          ? 'passed and promoted automatically'
          : passed
            ? 'passed, waiting for you to promote it'
            : 'not passed, kept as candidate'}{' '}
        — {gate.reason}
      </p>
      {gate.leftOut && <p data-testid="gate-left-out">{leftOutSentence(gate.leftOut)}</p>}
      {gate.measuredOn && (
        <p className="muted" data-testid="gate-measured-on">
          Measured on {gate.measuredOn}.
        </p>
      )}
      {since && (
        <p data-testid="gate-since" role="status">
          {since}
        </p>
      )}
    </div>
  );
}

const GATE_METRICS: Record<GateComparison['metric'], string> = {
  imageAUC: 'Image AUC',
  lesionSensitivityAt1FP: 'Lesion sensitivity @1 FP',
  lesionDice: 'Lesion Dice',
};

/** One validation set: both models on the same images, the paired difference and its interval. */
function GateSetTable({ set, gate }: { set: GateSetVerdict; gate: PromotionGateResult }): ReactNode {
  return (
    <table className="gate-table" data-testid="gate-set" data-set={set.name} data-role={set.role}>
      <caption>
        {set.role === 'site' ? "The site's" : "The parent's"} {set.name} validation images ({set.images}{' '}
        images, {set.patients} patients{set.lesions === undefined ? '' : `, ${set.lesions} lesions`})
      </caption>
      <thead>
        <tr>
          <th>Metric</th>
          <th>Current ({gate.current?.modelId ?? '–'})</th>
          <th>Candidate ({gate.candidate.modelId})</th>
          <th>Difference (95% CI)</th>
        </tr>
      </thead>
      <tbody>
        {set.comparisons.map((c) => (
          <tr key={c.metric} data-metric={c.metric} data-worse={c.worse ? 'true' : 'false'}>
            <td>{GATE_METRICS[c.metric]}</td>
            <td>{formatMetric(c.current)}</td>
            <td>{formatMetric(c.candidate)}</td>
            <td>
              {c.skipped
                ? `skipped: ${c.skipped}`
                : `${signed(c.difference!)} (${signed(c.interval!.low)} to ${signed(c.interval!.high)})${c.worse ? ' worse beyond noise' : ''}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A gate without per-set comparisons: the parent's card, or a job from before paired gates. */
function GateSummaryTable({ gate }: { gate: PromotionGateResult }): ReactNode {
  const rows: GateComparison['metric'][] = ['imageAUC', 'lesionSensitivityAt1FP', 'lesionDice'];
  return (
    <table className="gate-table">
      <thead>
        <tr>
          <th>{gate.reference === 'parent-card' ? "Parent's card" : 'Validation split'}</th>
          <th>
            {gate.reference === 'parent-card' ? 'Parent' : 'Current'}{' '}
            {gate.current ? `(${gate.current.modelId})` : ''}
          </th>
          <th>Candidate ({gate.candidate.modelId})</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((key) => (
          <tr key={key}>
            <td>{GATE_METRICS[key]}</td>
            <td>{gate.current ? formatMetric(gate.current[key]) : '–'}</td>
            <td>{formatMetric(gate.candidate[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
}

/** Whether a gate passed (older jobs recorded only whether it promoted). */
function gatePassed(gate: PromotionGateResult | null): boolean {
  return gate ? (gate.passed ?? gate.promoted) : false;
}

/** The gate's verdict on a candidate, from the job that made it. */
function gateOf(modelId: string, jobs: readonly FineTuneJob[]): PromotionGateResult | null {
  return jobs.find((job) => job.candidateModel === modelId)?.gate ?? null;
}

function MetricsLine({ metrics }: { metrics: ValidationMetrics | null }): ReactNode {
  if (!metrics) return <p className="muted">No validation metrics.</p>;
  return (
    <p data-testid="metrics">
      AUC {formatMetric(metrics.imageAUC)} · sensitivity {formatMetric(metrics.imageSensitivity)} ·
      specificity {formatMetric(metrics.imageSpecificity)} · lesion sens. @1FP{' '}
      {formatMetric(metrics.lesionSensitivityAt1FP)} · Dice {formatMetric(metrics.lesionDice)} ·{' '}
      {metrics.images} images
    </p>
  );
}

function lineage(version: ModelVersion, all: readonly ModelVersion[]): string {
  const chain: string[] = [];
  let parent = version.card.parentId;
  while (parent && chain.length < 8) {
    chain.push(parent);
    parent = all.find((v) => v.id === parent)?.card.parentId ?? null;
  }
  return chain.length ? `← ${chain.join(' ← ')}` : 'root';
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/** Asks with the browser's own dialogs; true when the reader agreed. */
function confirmPromotion(
  version: Pick<ModelVersion, 'id' | 'card'>,
  gate: PromotionGateResult | null,
): boolean {
  const question = promotionQuestion(version, gate);
  if (question.kind === 'confirm') return window.confirm(question.message);
  return window.prompt(question.message)?.trim() === version.id;
}
