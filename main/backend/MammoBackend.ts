import { readFileSync, rmSync } from 'node:fs';
import type { ApiEventPayloads, ApiEvents, MammoApi } from '../api/contract.js';
import type { StudyDetail, StudySummary } from '../api/domain.js';
import type { ImportRequest, ImportResult } from '../api/importing.js';
import { API_EVENTS } from '../api/contract.js';
import { NotFoundError } from '../api/errors.js';
import { EventBus } from '../common/EventBus.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { CbisDdsmImporter } from '../studies/cbis/CbisDdsmImporter.js';
import { MiasImporter } from '../studies/mias/MiasImporter.js';
import { DecodePool } from '../imaging/DecodePool.js';
import { type ImportContext, StudyImporter } from '../studies/StudyImporter.js';
import { Workspace } from '../workspace/Workspace.js';
import { removeFilesAndEmptyFolders } from '../workspace/removeWorkspaceFiles.js';
import type { ModelList, ModelVersion } from '../api/models.js';
import type { Prediction, StudyAnalysis } from '../api/predictions.js';
import { AnalysisService, type AnalysisServiceOptions } from '../inference/AnalysisService.js';
import { ModelRegistry } from '../registry/ModelRegistry.js';
import type { FineTuneJob, FineTunePlan } from '../api/training.js';
import { CorrectionSampleBuilder } from '../training/CorrectionSampleBuilder.js';
import { FineTuneService } from '../training/FineTuneService.js';
import { learnedByLineage, sampleIdsOf } from '../training/fineTuneLabels.js';
import { TrainingSetService } from '../training/TrainingSetService.js';
import type { Annotation, AnnotationDraft, NextCase, SaveAnnotationRequest } from '../api/annotations.js';
import type { TrainingSample } from '../api/training.js';
import { AnnotationService } from '../annotations/AnnotationService.js';
import { PredictionRepository } from '../db/PredictionRepository.js';
import { fileURLToPath } from 'node:url';
import type { ExportKind, ExportResult, Report, ReportEdit } from '../api/reports.js';
import { ReportService } from '../reports/ReportService.js';
import { ExportService } from '../reports/ExportService.js';
import { SegmentationImporter } from '../reports/dicom/SegmentationImporter.js';
import type {
  DicomListenerSettings,
  DicomListenerStatus,
  PacsConnectionTest,
  PacsNode,
  PacsNodeInput,
  PacsPush,
  PacsPushKind,
  PacsQuery,
  PacsRetrieveResult,
  PacsStudy,
} from '../api/pacs.js';
import { PacsService } from '../pacs/PacsService.js';

/** The models shipped with the app. */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

export interface BackendOptions {
  shippedModelsDir?: string;
  analysis?: AnalysisServiceOptions;
  /** PACS request timeout (tests shorten it). */
  pacsTimeoutMs?: number;
}

/**
 * The back end behind every transport: one open workspace, the API's methods and its events.
 * Transports validate input with API_METHODS before calling in.
 */
export class MammoBackend implements MammoApi, ApiEvents {
  private readonly events = new EventBus<ApiEventPayloads>();
  private readonly studies: StudyRepository;
  readonly registry: ModelRegistry;
  readonly annotations: AnnotationService;
  /** Turns each saved correction into its training sample, after the save has answered. */
  readonly correctionSamples: CorrectionSampleBuilder;
  readonly reports: ReportService;
  readonly exports: ExportService;
  readonly segmentations: SegmentationImporter;
  readonly pacs: PacsService;
  private analysisService: AnalysisService | undefined;
  private fineTuneService: FineTuneService | undefined;
  private trainingSetService: TrainingSetService | undefined;
  /** Import decodes every file here before accepting it, off the server's thread. */
  private readonly decodePool = new DecodePool({ size: 1 });
  /** Above zero while inference runs; training waits between steps meanwhile. */
  private readonly inferenceActivity = new Int32Array(new SharedArrayBuffer(4));

  private constructor(
    readonly workspace: Workspace,
    private readonly options: BackendOptions,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.registry = new ModelRegistry(
      workspace,
      options.shippedModelsDir ?? process.env['MAMMO_MODELS_DIR'] ?? SHIPPED_MODELS_DIR,
    );
    // A shipped folder the registry refuses (unreadable, or a known id with other weights) is logged,
    // one line each; the app goes on with the versions it has.
    for (const problem of this.registry.syncShipped().problems) console.warn(problem);
    this.annotations = new AnnotationService(workspace, this.registry, this.decodePool);
    this.correctionSamples = new CorrectionSampleBuilder(workspace, this.decodePool);
    this.correctionSamples.follow(this.annotations);
    this.reports = new ReportService(workspace, this.registry);
    this.exports = new ExportService(workspace, this.registry, this.reports, this.correctionSamples);
    this.segmentations = new SegmentationImporter(workspace, this.annotations);
    this.pacs = new PacsService(
      workspace,
      new StudyImporter(workspace, this.decodePool, this.segmentations),
      this.exports,
      {
        ...(options.pacsTimeoutMs ? { timeoutMs: options.pacsTimeoutMs } : {}),
        onListenerReceived: (event) => this.events.publish(API_EVENTS.dicomReceived, event),
      },
    );
  }

  static open(workspaceDir: string, options: BackendOptions = {}): MammoBackend {
    return new MammoBackend(Workspace.open(workspaceDir), options);
  }

  /** Inference workers start on first use. */
  get analysis(): AnalysisService {
    this.analysisService ??= new AnalysisService(this.workspace, this.registry, {
      ...this.options.analysis,
      activity: this.inferenceActivity,
    });
    return this.analysisService;
  }

  /** The trainer worker starts on first use. */
  get fineTunes(): FineTuneService {
    this.fineTuneService ??= new FineTuneService(
      this.workspace,
      this.registry,
      this.correctionSamples,
      {
        progress: (jobId, progress) => this.events.publish(API_EVENTS.fineTuneProgress, { jobId, progress }),
        finished: (job) => this.events.publish(API_EVENTS.fineTuneFinished, job),
      },
      {
        pauseFlag: this.inferenceActivity,
        ...(this.options.analysis?.backend ? { backend: this.options.analysis.backend } : {}),
      },
    );
    return this.fineTuneService;
  }

  async startFineTune(input: {
    steps?: number | undefined;
    size?: number | undefined;
    autoPromote?: boolean | undefined;
  }): Promise<FineTuneJob> {
    return this.fineTunes.start({
      ...(input.steps ? { steps: input.steps } : {}),
      ...(input.size ? { size: input.size } : {}),
      ...(input.autoPromote ? { autoPromote: true } : {}),
    });
  }

  async planFineTune(_input: Record<string, never> = {}): Promise<FineTunePlan> {
    return this.fineTunes.plan();
  }

  async listJobs(_input: Record<string, never> = {}): Promise<FineTuneJob[]> {
    return this.fineTunes.list();
  }

  async saveDraft(input: Omit<AnnotationDraft, 'updatedAt'>): Promise<AnnotationDraft> {
    return this.annotations.saveDraft(input);
  }

  async getDraft({ imageId, reader }: { imageId: number; reader: string }): Promise<AnnotationDraft | null> {
    return this.annotations.getDraft(imageId, reader);
  }

  async discardDraft({ imageId, reader }: { imageId: number; reader: string }): Promise<null> {
    this.annotations.discardDraft(imageId, reader);
    return null;
  }

  async saveAnnotation(input: SaveAnnotationRequest): Promise<Annotation> {
    return this.annotations.save(input);
  }

  async listAnnotations({ imageId }: { imageId: number }): Promise<Annotation[]> {
    return this.annotations.list(imageId);
  }

  async getAnnotationMask({ annotationId }: { annotationId: number }): Promise<{ maskPng: string }> {
    return { maskPng: this.annotations.maskOf(annotationId) };
  }

  async getGroundTruthOutline({ findingId }: { findingId: number }): Promise<{ maskPng: string }> {
    const path = this.studies.getGroundTruthOutlinePath(findingId);
    if (!path) throw new NotFoundError(`ground truth ${findingId} has no outline`);
    return { maskPng: readFileSync(this.workspace.resolvePath(path)).toString('base64') };
  }

  async restoreAnnotation({
    annotationId,
    author,
  }: {
    annotationId: number;
    author: string;
  }): Promise<Annotation> {
    return this.annotations.restore(annotationId, author);
  }

  async nextCase({
    strategy,
    excludeStudyId,
  }: {
    strategy: NextCase['strategy'];
    excludeStudyId?: number | undefined;
  }): Promise<NextCase | null> {
    return this.annotations.nextCase(strategy, excludeStudyId);
  }

  async listTrainingSamples({
    unlearnedOnly,
  }: {
    unlearnedOnly?: boolean | undefined;
  }): Promise<TrainingSample[]> {
    return this.fineTunes.listSamples({ unlearnedOnly: unlearnedOnly === true });
  }

  async cancelJob({ jobId }: { jobId: number }): Promise<FineTuneJob[]> {
    this.fineTunes.cancel(jobId);
    return this.fineTunes.list();
  }

  async listReports({ studyId }: { studyId: number }): Promise<Report[]> {
    return this.reports.list(studyId);
  }

  async startReport({ studyId, reader }: { studyId: number; reader: string }): Promise<Report> {
    await this.getStudy({ studyId });
    return this.reports.start(studyId, reader);
  }

  async updateReport({ reportId, ...edit }: { reportId: number } & ReportEdit): Promise<Report> {
    return this.reports.update(reportId, edit);
  }

  async finalizeReport({ reportId }: { reportId: number }): Promise<Report> {
    return this.reports.finalize(reportId);
  }

  async amendReport({
    reportId,
    reader,
    reason,
  }: {
    reportId: number;
    reader: string;
    reason: string;
  }): Promise<Report> {
    return this.reports.amend(reportId, reader, reason);
  }

  /** Exports into the workspace's exports folder (the transports' only option). */
  async exportStudy({ studyId, kind }: { studyId: number; kind: ExportKind }): Promise<ExportResult> {
    await this.getStudy({ studyId }); // before making its exports folder
    return this.exports.exportStudyToWorkspace(studyId, kind);
  }

  /** Exports to a path of the caller's choosing; for the CLI only, never exposed to a transport. */
  async exportStudyTo(studyId: number, kind: ExportKind, outPath: string): Promise<ExportResult> {
    await this.getStudy({ studyId });
    return this.exports.exportStudy(studyId, kind, outPath);
  }

  async listPacsNodes(_input: Record<string, never> = {}): Promise<PacsNode[]> {
    return this.pacs.listNodes();
  }

  async savePacsNode(input: PacsNodeInput): Promise<PacsNode> {
    return this.pacs.saveNode(input);
  }

  async removePacsNode({ name }: { name: string }): Promise<null> {
    this.pacs.removeNode(name);
    return null;
  }

  async testPacsNode({ name }: { name: string }): Promise<PacsConnectionTest> {
    return this.pacs.testNode(name);
  }

  async queryPacs(input: PacsQuery): Promise<PacsStudy[]> {
    return this.pacs.query(input);
  }

  async retrievePacsStudy({
    node,
    studyInstanceUid,
  }: {
    node: string;
    studyInstanceUid: string;
  }): Promise<PacsRetrieveResult> {
    return this.pacs.retrieve(node, studyInstanceUid, {
      onProgress: (progress) => this.events.publish(API_EVENTS.pacsRetrieveProgress, progress),
    });
  }

  async cancelPacsRetrieve({ studyInstanceUid }: { studyInstanceUid: string }): Promise<null> {
    this.pacs.cancelRetrieve(studyInstanceUid);
    return null;
  }

  async sendToPacs({
    studyId,
    node,
    kind,
  }: {
    studyId: number;
    node: string;
    kind: PacsPushKind;
  }): Promise<PacsPush> {
    await this.getStudy({ studyId });
    return this.pacs.send(studyId, kind, node);
  }

  async retryPacsPush({ pushId }: { pushId: number }): Promise<PacsPush> {
    return this.pacs.retryPush(pushId);
  }

  async listPacsPushes({ studyId }: { studyId: number }): Promise<PacsPush[]> {
    return this.pacs.listPushes(studyId);
  }

  async getDicomListener(_input: Record<string, never> = {}): Promise<DicomListenerStatus> {
    return this.pacs.listenerStatus();
  }

  async setDicomListener(input: DicomListenerSettings): Promise<DicomListenerStatus> {
    return this.pacs.configureListener(input);
  }

  subscribe: ApiEvents['subscribe'] = (event, listener) => this.events.subscribe(event, listener);

  /** `context` comes from the server side only (never from a request): cancellation, and the user's names of uploaded files. */
  async importFiles(request: ImportRequest, context: ImportContext = {}): Promise<ImportResult> {
    const { signal } = context;
    const options = {
      onProgress: (progress: ApiEventPayloads['mammo:import.progress']) =>
        this.events.publish(API_EVENTS.importProgress, progress),
      ...context,
    };
    if (request.format === 'mias' || request.format === 'cbis-ddsm') {
      const importer =
        request.format === 'mias'
          ? new MiasImporter(this.workspace)
          : new CbisDdsmImporter(this.workspace, this.decodePool);
      const results: ImportResult[] = [];
      for (const folder of request.paths) results.push(await importer.importFolder(folder, options));
      // A labelled data set is training data as soon as it is imported.
      this.trainingSetService ??= new TrainingSetService(this.workspace);
      const trainingSet = await this.trainingSetService.buildFromGroundTruth({
        onProgress: (progress) => this.events.publish(API_EVENTS.trainingSetProgress, progress),
        ...(signal ? { signal } : {}),
      });
      return { ...mergeImportResults(results), trainingSet };
    }
    return new StudyImporter(this.workspace, this.decodePool, this.segmentations).importPaths(
      request.paths,
      options,
    );
  }

  async listStudies(_input: Record<string, never> = {}): Promise<StudySummary[]> {
    return this.studies.listStudySummaries();
  }

  async getStudy({ studyId }: { studyId: number }): Promise<StudyDetail> {
    const detail = this.studies.getStudyDetail(studyId);
    if (!detail) throw new NotFoundError(`study ${studyId} not found`);
    return detail;
  }

  /** A model asked for by id must exist: an unknown one is the caller's 404, not a server fault. */
  private requireModel(modelId: string | undefined): void {
    if (modelId && !this.registry.get(modelId)) throw new NotFoundError(`model ${modelId} not found`);
  }

  async listModels(_input: Record<string, never> = {}): Promise<ModelList> {
    const versions = this.registry.list();
    const discardRefusals: Record<string, string> = {};
    for (const version of versions) {
      const refusal = version.status === 'candidate' ? this.registry.discardRefusal(version.id) : null;
      if (refusal) discardRefusals[version.id] = refusal;
    }
    return { versions, backend: this.lastBackend, rollback: this.registry.rollbackTarget(), discardRefusals };
  }

  async analyzeStudy(input: {
    studyId: number;
    modelId?: string | undefined;
    force?: boolean | undefined;
  }): Promise<StudyAnalysis> {
    this.requireModel(input.modelId);
    const result = await this.analysis.analyzeStudy(input.studyId, {
      ...(input.modelId ? { modelId: input.modelId } : {}),
      force: input.force === true,
      onProgress: (progress) => this.events.publish(API_EVENTS.analysisProgress, progress),
    });
    this.lastBackend = result.backend;
    return result;
  }

  async analyzeImage(input: {
    imageId: number;
    modelId?: string | undefined;
    force?: boolean | undefined;
  }): Promise<Prediction> {
    this.requireModel(input.modelId);
    if (!this.studies.getImage(input.imageId)) throw new NotFoundError(`image ${input.imageId} not found`);
    const result = await this.analysis.analyzeImage(input.imageId, {
      ...(input.modelId ? { modelId: input.modelId } : {}),
      force: input.force === true,
      onProgress: (progress) => this.events.publish(API_EVENTS.analysisProgress, progress),
    });
    this.lastBackend = result.backend;
    return result;
  }

  async promoteModel({ modelId }: { modelId: string }): Promise<ModelVersion> {
    return this.registry.promote(modelId);
  }

  async rollbackModel(_input: Record<string, never> = {}): Promise<ModelVersion> {
    return this.registry.rollback();
  }

  async discardModel({
    modelId,
  }: {
    modelId: string;
  }): Promise<{ modelId: string; samplesToRelearn: number }> {
    // Learned-ness belongs to the current model's lineage, which a discardable candidate is not in:
    // what it learned and the current model did not is still to learn.
    const learned = learnedByLineage(this.registry.current(), (id) => this.registry.get(id));
    const { version, mapPaths } = this.workspace.db.transaction(() => ({
      version: this.registry.removeCandidate(modelId),
      // Its cached analyses go with it: no worklist score or map from a model that no longer exists.
      mapPaths: new PredictionRepository(this.workspace.db).deleteForModel(modelId),
    }))();
    // After the commit: a crash in between leaves unreferenced files, never a record without them.
    rmSync(this.registry.folderOf(version), { recursive: true, force: true });
    removeFilesAndEmptyFolders(this.workspace, mapPaths);
    return { modelId, samplesToRelearn: sampleIdsOf(version).filter((id) => !learned.has(id)).length };
  }

  private lastBackend: string | null = null;

  async close(): Promise<void> {
    await this.pacs.close();
    await this.fineTuneService?.close();
    await this.trainingSetService?.close();
    await this.analysisService?.close();
    // A sample half-built when the pool closes would fail; a later catch-up would build it anyway.
    await this.correctionSamples.settled();
    await this.decodePool.close();
    this.workspace.close();
  }
}

function mergeImportResults(results: readonly ImportResult[]): ImportResult {
  const studies = new Map<number, StudySummary>();
  for (const result of results) for (const study of result.studies) studies.set(study.id, study);
  return {
    imported: results.reduce((n, r) => n + r.imported, 0),
    skipped: results.reduce((n, r) => n + r.skipped, 0),
    errors: results.flatMap((r) => r.errors),
    studies: [...studies.values()],
  };
}
