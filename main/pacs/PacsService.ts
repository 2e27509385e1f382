import type {
  DicomListenerReceived,
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
import { AuditLog } from '../db/AuditLog.js';
import { PacsRepository } from '../db/PacsRepository.js';
import { StudyRepository } from '../db/StudyRepository.js';
import type { ExportService } from '../reports/ExportService.js';
import type { StudyImporter } from '../studies/StudyImporter.js';
import type { Workspace } from '../workspace/Workspace.js';
import { isLiveOwner } from '../workspace/processAlive.js';
import { DEFAULT_QUERY_LIMIT, DEFAULT_REQUEST_TIMEOUT_MS, PUSH_STALE_MS } from './constants.js';
import type * as CEchoModule from './cEcho.js';
import type { DicomListener } from './DicomListener.js';
import type * as ListenerModule from './DicomListener.js';
import { DicomwebConnection } from './DicomwebConnection.js';
import { BREAST_SERIES_PARAMS, studySearches, toPacsStudy } from './qidoStudy.js';
import { ReceivedInstanceImporter } from './ReceivedInstanceImporter.js';
import { ResultSender } from './ResultSender.js';
import { StudyRetriever, type RetrieveOptions } from './StudyRetriever.js';

export interface PacsServiceOptions {
  /** Per-request socket idle limit; default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
  onListenerReceived?: (event: DicomListenerReceived) => void;
}

/**
 * The workstation's PACS connectivity: nodes (secrets stay here), DICOMweb query/retrieve,
 * store-back of results, and the C-STORE listener.
 *
 * @example
 * pacs.saveNode({ name: 'hospital', url: 'https://pacs/dicom-web', auth: 'basic', username: 'u', secret: 'p' });
 * const [study] = await pacs.query({ node: 'hospital', patientId: '123' });
 * await pacs.retrieve('hospital', study.studyInstanceUid, { onProgress: (p) => bar(p.done / p.total) });
 */
export class PacsService {
  private readonly repository: PacsRepository;
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly received: ReceivedInstanceImporter;
  private readonly sender: ResultSender;
  private readonly timeoutMs: number;
  private readonly retrievals = new Map<string, AbortController>();
  private listener: DicomListener | null = null;

  constructor(
    workspace: Workspace,
    importer: StudyImporter,
    exports: ExportService,
    private readonly options: PacsServiceOptions = {},
  ) {
    this.repository = new PacsRepository(workspace.db);
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.received = new ReceivedInstanceImporter(workspace, importer);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.sender = new ResultSender(workspace, exports, this.repository, (name) => this.connection(name));
    // A live sender's push ends within its requests' timeouts; one "sending" for far longer is no
    // live process's, whatever its recorded id now names.
    const staleMs = Math.max(PUSH_STALE_MS, 10 * this.timeoutMs);
    this.repository.failInterruptedPushes((ownerPid, updatedAt) => isLiveOwner(ownerPid, updatedAt, staleMs));
  }

  listNodes(): PacsNode[] {
    return this.repository.listNodes();
  }

  saveNode(input: PacsNodeInput): PacsNode {
    if (input.auth === 'basic' && !input.username)
      throw new Error(`PACS "${input.name}": basic auth needs a user name`);
    const node = this.repository.saveNode(input);
    // The audit names what changed, never the secret.
    this.audit.record('pacs.node.saved', node.name, {
      url: node.url,
      auth: node.auth,
      hasSecret: node.hasSecret,
    });
    return node;
  }

  removeNode(name: string): void {
    if (!this.repository.removeNode(name)) throw new Error(`PACS node "${name}" not found`);
    this.audit.record('pacs.node.removed', name);
  }

  async testNode(name: string): Promise<PacsConnectionTest> {
    const node = this.nodeWithSecret(name);
    const started = performance.now();
    let dicomweb: PacsConnectionTest['dicomweb'];
    try {
      await this.connection(name).searchForStudies({ limit: '1' });
      dicomweb = { ok: true, message: `DICOMweb answered at ${node.url}`, milliseconds: 0 };
    } catch (error) {
      dicomweb = { ok: false, message: (error as Error).message, milliseconds: 0 };
    }
    dicomweb.milliseconds = Math.round(performance.now() - started);
    let echo: PacsConnectionTest['echo'] = null;
    if (node.aeTitle && node.host && node.port) {
      const echoStarted = performance.now();
      const { cEcho } = await loadDimse();
      const verdict = await cEcho(
        { host: node.host, port: node.port, aeTitle: node.aeTitle },
        this.timeoutMs,
      );
      echo = { ...verdict, milliseconds: Math.round(performance.now() - echoStarted) };
    }
    return { dicomweb, echo };
  }

  /**
   * Searches the PACS; with no modality, for breast imaging (see {@link studySearches}). Studies
   * found by more than one search are listed once, newest first, at most `limit`.
   */
  async query(query: PacsQuery): Promise<PacsStudy[]> {
    const connection = this.connection(query.node);
    const found = new Map<string, PacsStudy>();
    for (const search of studySearches(query)) {
      for (const json of await connection.searchForStudies(search.params)) {
        const uid = json['0020000D']?.Value?.[0];
        const study = toPacsStudy(json, typeof uid === 'string' ? this.studies.findStudyIdByUid(uid) : null);
        if (!study || found.has(study.studyInstanceUid)) continue;
        if (search.needsBreastSeries) {
          const breast = await connection.searchForSeries(study.studyInstanceUid, BREAST_SERIES_PARAMS);
          if (breast.length === 0) continue;
        }
        found.set(study.studyInstanceUid, study);
      }
    }
    return [...found.values()]
      .sort((a, b) => (b.studyDate ?? '').localeCompare(a.studyDate ?? ''))
      .slice(0, query.limit ?? DEFAULT_QUERY_LIMIT);
  }

  /** Retrieves a study; one retrieve per study at a time, cancelled by {@link cancelRetrieve}. */
  async retrieve(
    nodeName: string,
    studyInstanceUid: string,
    options: Omit<RetrieveOptions, 'signal'> = {},
  ): Promise<PacsRetrieveResult> {
    if (this.retrievals.has(studyInstanceUid))
      throw new Error(`study ${studyInstanceUid} is already being retrieved`);
    const connection = this.connection(nodeName);
    const controller = new AbortController();
    this.retrievals.set(studyInstanceUid, controller);
    try {
      const retriever = new StudyRetriever(connection, nodeName, this.studies, this.received);
      const result = await retriever.retrieve(studyInstanceUid, { ...options, signal: controller.signal });
      this.audit.record('pacs.retrieved', studyInstanceUid, {
        node: nodeName,
        imported: result.imported,
        skipped: result.skipped,
        errors: result.errors.length,
        cancelled: result.cancelled,
      });
      return result;
    } catch (error) {
      if (controller.signal.aborted)
        return { imported: 0, skipped: 0, errors: [], notes: [], cancelled: true, bytes: 0, studies: [] };
      throw error;
    } finally {
      this.retrievals.delete(studyInstanceUid);
    }
  }

  /** Cancels a running retrieve; a no-op when none runs. */
  cancelRetrieve(studyInstanceUid: string): void {
    this.retrievals.get(studyInstanceUid)?.abort();
  }

  send(studyId: number, kind: PacsPushKind, nodeName: string): Promise<PacsPush> {
    return this.sender.send(studyId, kind, nodeName);
  }

  retryPush(pushId: number): Promise<PacsPush> {
    return this.sender.retry(pushId);
  }

  listPushes(studyId: number): PacsPush[] {
    return this.repository.listPushes(studyId);
  }

  listenerStatus(): DicomListenerStatus {
    return {
      ...this.repository.listenerSettings(),
      listening: this.listener?.listening ?? false,
      received: this.listener?.counters.received ?? 0,
      rejectedAssociations: this.listener?.counters.rejectedAssociations ?? 0,
    };
  }

  /** Saves the listener's settings, then (re)starts it when enabled or stops it. */
  async configureListener(settings: DicomListenerSettings): Promise<DicomListenerStatus> {
    this.repository.saveListenerSettings(settings);
    this.audit.record('pacs.listener.configured', null, settings);
    await this.stopListener();
    if (settings.enabled) await this.startListener();
    return this.listenerStatus();
  }

  /** Starts the listener with the saved settings when they say it is enabled. */
  async startConfiguredListener(): Promise<DicomListenerStatus> {
    if (this.repository.listenerSettings().enabled && !this.listener) await this.startListener();
    return this.listenerStatus();
  }

  /** Starts a listener with the given settings (the CLI's `mammo listen`), without saving them. */
  async startListener(settings: DicomListenerSettings = this.repository.listenerSettings()): Promise<void> {
    await this.stopListener();
    const { DicomListener } = await loadDimse();
    const listener = new DicomListener(settings, this.received, this.options.onListenerReceived);
    await listener.start();
    this.listener = listener;
  }

  async stopListener(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.stop();
  }

  async close(): Promise<void> {
    for (const controller of this.retrievals.values()) controller.abort();
    await this.stopListener();
  }

  private nodeWithSecret(name: string): NonNullable<ReturnType<PacsRepository['nodeWithSecret']>> {
    const node = this.repository.nodeWithSecret(name);
    if (!node)
      throw new Error(`PACS node "${name}" not found; add it with \`mammo pacs add\` or in PACS settings`);
    return node;
  }

  private connection(name: string): DicomwebConnection {
    return new DicomwebConnection(this.nodeWithSecret(name), this.timeoutMs);
  }
}

/**
 * The DIMSE modules, loaded on first use: dcmjs-dimse takes about 0.6 s to load, which every CLI
 * command and app start would otherwise pay.
 */
async function loadDimse(): Promise<typeof CEchoModule & typeof ListenerModule> {
  const [echo, listener] = await Promise.all([import('./cEcho.js'), import('./DicomListener.js')]);
  return { ...echo, ...listener };
}
