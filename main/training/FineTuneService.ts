import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RequestRefusedError } from '../api/errors.js';
import { membersOf } from '../api/modelMembers.js';
import type { ModelVersion } from '../api/models.js';
import type {
  FineTuneJob,
  FineTunePlan,
  LabelCount,
  PromotionGateResult,
  SupersededLabel,
  TrainingSample,
} from '../api/training.js';
import { WorkerPool } from '../common/WorkerPool.js';
import { AuditLog } from '../db/AuditLog.js';
import { FineTuneJobRepository } from '../db/FineTuneJobRepository.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { TrainingSampleRepository } from '../db/TrainingSampleRepository.js';
import { seededRandom } from '../evaluation/bootstrap.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import { isLiveOwner } from '../workspace/processAlive.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { CorrectionSampleBuilder } from './CorrectionSampleBuilder.js';
import { labelsOfCurrentModel, type FineTuneLabels } from './fineTuneLabels.js';
import { JOB_HEARTBEAT_MS, JOB_HEARTBEAT_STALE_MS } from './jobOwner.js';
import { gateSets } from './gateSets.js';
import { gateAgainstParentCard, gateMeasuredOn, type GateRequest } from './promotionGate.js';
import { backgroundTrainingReplicas } from './ReplicaGroup.js';
import { validationSamplesOf } from './sampleLesions.js';
import { parseTrainingConfig } from './trainingConfig.js';
import type { TrainingJobSpec, TrainingProgress, TrainingResult } from './trainingProtocol.js';
import { SAMPLE_SPACING_MM } from './TrainingSetBuilder.js';

export interface FineTuneOptions {
  steps?: number;
  /** Input size of the fine-tune crops. */
  size?: number;
  /** Earlier samples replayed per new sample, so the model does not forget. */
  replayRatio?: number;
  learningRate?: number;
  /** Make the candidate current when the gate passes; off by default: a person promotes it. */
  autoPromote?: boolean;
}

export const FINE_TUNE_DEFAULTS = Object.freeze({
  // Enough for a site's data set to move batch norm's statistics (E1: 60 steps leave 55% of the
  // parent's) and its weights: 400 steps of 4 crops take about 8 minutes on one core (E20).
  steps: 400,
  size: 256,
  replayRatio: 3,
  learningRate: 2e-4,
  batchSize: 4,
});

/** Steps between saves of a running job's loss curve (and at its last step). */
const LOSS_SAVE_EVERY = 10;

export interface FineTuneEvents {
  progress: (jobId: number, progress: TrainingProgress) => void;
  finished: (job: FineTuneJob) => void;
}

/** A fine-tune was asked for with no labelled sample that a model here has not learned yet. */
export class NothingToLearnError extends RequestRefusedError {
  constructor(learnedBefore: number, leftOutTraining = 0) {
    const what = learnedBefore
      ? `the current model or its ancestors learned all ${learnedBefore} training labels already`
      : leftOutTraining
        ? 'no training samples of the finding types the model detects'
        : 'no training samples';
    const leftOut = leftOutTraining
      ? ` (${leftOutTraining} training image${leftOutTraining === 1 ? '' : 's'} of imported ground truth left out: they mark lesion types it does not detect)`
      : '';
    super(
      `nothing to learn: ${what}${leftOut}; save a correction, or import a labelled data set (mammo import --format mias)`,
    );
  }
}

/** A fine-tune was asked for but no model is current. */
export class NoCurrentModelError extends RequestRefusedError {
  constructor() {
    super('no current model to fine-tune (see mammo models list)');
  }
}

/**
 * The current model is made of members at different scales. Fine-tuning would have to train each
 * member at its own spacing and judge the combined map on validation; the trainer trains and
 * validates one network, so this is refused rather than silently training the first member alone.
 */
export class MultiMemberFineTuneError extends RequestRefusedError {
  constructor(model: Pick<ModelVersion, 'id' | 'card'>) {
    const members = membersOf(model.card)
      .map((m) => `${m.name}: ${m.role} at ${m.inputPixelSpacingMm} mm`)
      .join(', ');
    super(
      `${model.id} is made of ${membersOf(model.card).length} members (${members}) and fine-tuning a multi-member model is not supported yet: promote a single-network model to fine-tune it`,
    );
  }
}

/** Why a fine-tune of `parent` cannot start now, or null. */
function refusalFor(
  parent: ModelVersion | null,
  { fresh, earlier, leftOut }: Pick<FineTuneLabels, 'fresh' | 'earlier' | 'leftOut'>,
): RequestRefusedError | null {
  if (!parent) return new NoCurrentModelError();
  if (parent.card.members) return new MultiMemberFineTuneError(parent);
  // Replaying old samples alone would only drift the model: a fine-tune needs something new.
  if (fresh.length === 0) return new NothingToLearnError(earlier.length, leftOut?.train);
  return null;
}

/** Learned samples replayed beside `fresh` new ones: `replayRatio` each, as many as there are. */
function replayCount(
  fresh: number,
  earlier: number,
  replayRatio: number = FINE_TUNE_DEFAULTS.replayRatio,
): number {
  return Math.min(earlier, fresh * replayRatio);
}

function workerUrl(name: 'trainerWorker' | 'gateWorker'): URL {
  return new URL(`./${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

/**
 * Fine-tune jobs: one runs at a time in a worker thread and the rest queue. A job trains the
 * current model on the corrections not yet learned plus a replay of earlier samples and registers
 * the result as a candidate with the gate's verdict; a person promotes it (or the gate, when the
 * job asked for automatic promotion and the gate passed).
 */
export class FineTuneService {
  private readonly pool: WorkerPool<
    TrainingJobSpec & { backend?: string; pauseFlag?: Int32Array },
    TrainingResult,
    TrainingProgress
  >;
  /** The gate's bootstrap (a second or so of CPU) runs here, not on the server's thread. */
  private readonly gatePool: WorkerPool<GateRequest, PromotionGateResult>;
  private readonly jobs: FineTuneJobRepository;
  private readonly samples: TrainingSampleRepository;
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly running = new Map<number, AbortController>();
  /** Beats while this process has jobs queued or running, so that another process leaves them be. */
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly workspace: Workspace,
    private readonly registry: ModelRegistry,
    /** Builds the samples of saved corrections that have none yet, before labels are chosen. */
    private readonly corrections: Pick<CorrectionSampleBuilder, 'catchUp'>,
    private readonly events: FineTuneEvents,
    private readonly options: { backend?: string; pauseFlag?: Int32Array } = {},
  ) {
    // A trainer's wasm heap only grows (training batches, validation tiles): the worker ends with
    // its job so the app does not hold that memory for the rest of the session.
    this.pool = new WorkerPool(workerUrl('trainerWorker'), 1, 'trainer', { reuseWorkers: false });
    this.gatePool = new WorkerPool(workerUrl('gateWorker'), 1, 'gate');
    this.jobs = new FineTuneJobRepository(workspace.db);
    this.samples = new TrainingSampleRepository(workspace.db);
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    // A job another live process queued, and beats for, is its own (see isLiveOwner).
    this.jobs.failInterrupted((ownerPid, heartbeatAt) =>
      isLiveOwner(ownerPid, heartbeatAt, JOB_HEARTBEAT_STALE_MS),
    );
  }

  list(): FineTuneJob[] {
    return this.jobs.list();
  }

  /** What a fine-tune started now would learn from and be judged on, or why it would refuse. */
  async plan(options: Pick<FineTuneOptions, 'replayRatio'> = {}): Promise<FineTunePlan> {
    await this.corrections.catchUp();
    const { current: parent, labels } = this.labels();
    const { fresh, earlier, validation } = labels;
    const count = (source: TrainingSample['labelSource']): LabelCount => {
      const samples = fresh.filter((sample) => sample.labelSource === source);
      return { images: new Set(samples.map((sample) => sample.imageId)).size, samples: samples.length };
    };
    const card = parent?.card.validation;
    const judgedOn: FineTunePlan['judgedOn'] = validation.length
      ? {
          kind: 'workspace',
          patients: new Set(validation.map((sample) => sample.patientId)).size,
          images: validation.length,
        }
      : card
        ? {
            kind: 'parent-card',
            split: card.split,
            images: card.images,
            // NaN (shown as unmeasured) where the card's set has no normal images.
            imageAUC: card.imageAUC ?? Number.NaN,
            lesionSensitivityAt1FP: card.lesionSensitivityAt1FP,
          }
        : { kind: 'nothing' };
    return {
      parentModel: parent?.id ?? null,
      steps: FINE_TUNE_DEFAULTS.steps,
      corrections: count('annotation'),
      groundTruth: count('ground-truth'),
      replay: replayCount(fresh.length, earlier.length, options.replayRatio),
      superseded: labels.superseded.length,
      leftOut: labels.leftOut,
      judgedOn,
      refusal: refusalFor(parent, labels)?.message ?? null,
    };
  }

  /**
   * Queues a fine-tune of the current model; resolves once it is queued, not when it ends. Every
   * saved correction is a label by then: one whose sample was never built (its build failed, or
   * the process died after the save) is built first.
   */
  async start(options: FineTuneOptions = {}): Promise<FineTuneJob> {
    const unbuilt = await this.corrections.catchUp();
    const { current: parent, labels } = this.labels();
    if (!parent) throw new NoCurrentModelError();
    const { fresh, earlier, superseded, leftOut } = labels;
    const refusal = refusalFor(parent, labels);
    if (refusal) throw refusal;
    const steps = options.steps ?? FINE_TUNE_DEFAULTS.steps;
    const random = seededRandom(Date.now() & 0x7fffffff);
    const shuffled = [...earlier];
    // Fisher-Yates: a sort with a random comparator is biased.
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const replay = shuffled.slice(0, replayCount(fresh.length, earlier.length, options.replayRatio));
    const chosen = [...fresh, ...replay];

    const job = this.jobs.create(
      parent.id,
      steps,
      chosen.map((s) => s.id),
    );
    this.audit.record('finetune.queued', `job:${job.id}`, {
      parent: parent.id,
      newSamples: fresh.length,
      replayed: replay.length,
      steps,
      // Which label each image learns: a reader's correction wins over the imported ground truth.
      superseded,
      // Imported ground truth of lesion types the parent does not detect: not learned, not judged on.
      leftOut,
      // Corrections left out because their sample could not be built, and why.
      ...(unbuilt.length ? { unbuiltCorrections: unbuilt } : {}),
    });
    const controller = new AbortController();
    this.running.set(job.id, controller);
    this.heartbeat ??= setInterval(
      () => this.jobs.heartbeat([...this.running.keys()]),
      JOB_HEARTBEAT_MS,
    ).unref();
    void this.run(
      job,
      fresh.map((s) => s.id),
      superseded,
      options,
      controller.signal,
    ).finally(() => {
      this.running.delete(job.id);
      if (!this.running.size) this.stopHeartbeat();
    });
    return job;
  }

  /** Samples with the current model's learned-ness, and the labels a fine-tune started now uses. */
  private labels(): ReturnType<typeof labelsOfCurrentModel> {
    return labelsOfCurrentModel(this.samples, this.registry, this.studies.groundTruthClassesByImage());
  }

  /**
   * Every training sample with what the current model's lineage learned; `unlearnedOnly`: the ones a
   * fine-tune started now would learn (training split, one label per image, not learned).
   */
  async listSamples({ unlearnedOnly = false }: { unlearnedOnly?: boolean } = {}): Promise<TrainingSample[]> {
    await this.corrections.catchUp();
    const { samples, labels } = this.labels();
    return unlearnedOnly ? labels.fresh : samples;
  }

  cancel(jobId: number): void {
    const controller = this.running.get(jobId);
    if (!controller) {
      const job = this.jobs.get(jobId);
      // Still open here means another live process runs it (start-up failed the dead ones').
      if (job && (job.status === 'running' || job.status === 'queued'))
        throw new RequestRefusedError(
          `job ${jobId} is run by another process using this workspace (the app or a mammo command); cancel it there`,
        );
      throw new Error(`job ${jobId} is not queued or running`);
    }
    controller.abort();
  }

  /** Waits for a job to end (tests and the CLI). */
  async waitFor(jobId: number): Promise<FineTuneJob> {
    while (this.running.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 100));
    return this.jobs.get(jobId)!;
  }

  close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    this.stopHeartbeat();
    return Promise.all([this.pool.close(), this.gatePool.close()]).then(() => undefined);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async run(
    job: FineTuneJob,
    freshIds: number[],
    superseded: readonly SupersededLabel[],
    options: FineTuneOptions,
    signal: AbortSignal,
  ): Promise<void> {
    const parent = this.registry.get(job.parentModel!)!;
    const candidateId = `ft-${new Date()
      .toISOString()
      .replace(/[-:TZ.]/g, '')
      .slice(0, 14)}-${job.id}`;
    const samples = this.samples.list().filter((s) => job.sampleIds.includes(s.id));
    const { validation, leftOut } = this.labels().labels;
    const size = options.size ?? FINE_TUNE_DEFAULTS.size;
    const spec: TrainingJobSpec = {
      config: parseTrainingConfig({
        seed: job.id,
        widthMultiplier: parent.card.widthMultiplier,
        batchSize: FINE_TUNE_DEFAULTS.batchSize,
        // One replica on fewer than 4 cores keeps a core free for the viewer; two on 4 or more.
        replicas: backgroundTrainingReplicas(),
        learningRate: options.learningRate ?? FINE_TUNE_DEFAULTS.learningRate,
        stages: [{ size, steps: job.steps }],
        checkpointEvery: Math.max(5, Math.floor(job.steps / 4)),
        validateEvery: job.steps,
      }),
      trainSamples: samples.map((s) => this.workspace.resolvePath(s.path)),
      validationSamples: validationSamplesOf(
        validation,
        this.studies,
        this.workspace.resolvePath.bind(this.workspace),
      ),
      sampleSpacingMm: SAMPLE_SPACING_MM,
      initialModel: { folder: this.registry.folderOf(parent), card: parent.card },
      checkpointDir: join(this.workspace.root, 'jobs', String(job.id), 'checkpoints'),
      outputFolder: join(this.registry.workspaceModelsDir, candidateId),
      card: {
        ...parent.card,
        id: candidateId,
        parentId: parent.id,
        createdAt: new Date().toISOString(),
        trainingData: {
          description: `fine-tune of ${parent.id} on ${freshIds.length} new labelled samples (corrections or imported ground truth) and ${samples.length - freshIds.length} replayed samples${leftOut ? `. ${leftOut.reason}` : ''}`,
          images: new Set(samples.map((s) => s.imageId)).size,
          patients: new Set(samples.map((s) => s.patientId)).size,
          // What this model learned: its lineage's learned-ness is read from here.
          sampleIds: job.sampleIds,
          supersededGroundTruth: superseded,
        },
      },
    };
    // The curve the learning page draws live, kept with the job for a page opened later.
    const lossHistory: { step: number; loss: number }[] = [];
    try {
      this.jobs.update(job.id, { status: 'running', startedAt: new Date().toISOString() });
      const result = await this.pool.run(
        { ...spec, ...this.options },
        {
          signal,
          onProgress: (progress) => {
            lossHistory.push({ step: progress.step, loss: progress.loss });
            const saveCurve = progress.step % LOSS_SAVE_EVERY === 0 || progress.step === progress.totalSteps;
            this.jobs.update(job.id, { progress, ...(saveCurve ? { lossHistory } : {}) });
            this.events.progress(job.id, progress);
          },
        },
      );
      const gate =
        result.validation && result.parentValidation
          ? await this.gatePool.run({
              candidateId,
              currentId: parent.id,
              sets: gateSets(
                this.workspace.db,
                validation,
                samples.filter((s) => freshIds.includes(s.id)),
                result.validation.cases,
                result.parentValidation.cases,
                this.workspace.resolvePath.bind(this.workspace),
              ),
              autoPromote: options.autoPromote === true,
            })
          : gateAgainstParentCard(candidateId, parent);
      if (leftOut) gate.leftOut = leftOut;
      if (gate.reference === 'workspace') gate.measuredOn = gateMeasuredOn(spec.sampleSpacingMm);
      this.workspace.db.transaction(() => {
        this.registry.addCandidate(result.card);
        if (gate.promoted) this.registry.promote(candidateId);
        this.jobs.update(job.id, {
          status: 'succeeded',
          lossHistory,
          candidateModel: candidateId,
          gate,
          finishedAt: new Date().toISOString(),
        });
        this.audit.record('finetune.gate', candidateId, gate);
      })();
    } catch (error) {
      const cancelled = signal.aborted;
      this.jobs.update(job.id, {
        lossHistory,
        status: cancelled ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        ...(cancelled ? {} : { error: (error as Error).message }),
      });
      this.audit.record(
        cancelled ? 'finetune.cancelled' : 'finetune.failed',
        `job:${job.id}`,
        cancelled ? null : { error: (error as Error).message },
      );
    }
    this.events.finished(this.jobs.get(job.id)!);
  }
}
