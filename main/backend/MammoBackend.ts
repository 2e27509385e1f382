import type { ApiEventPayloads, ApiEvents, MammoApi } from '../api/contract.js';
import type { StudyDetail, StudySummary } from '../api/domain.js';
import type { ImportRequest, ImportResult } from '../api/importing.js';
import { API_EVENTS } from '../api/contract.js';
import { EventBus } from '../common/EventBus.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { MiasImporter } from '../studies/mias/MiasImporter.js';
import { StudyImporter } from '../studies/StudyImporter.js';
import { Workspace } from '../workspace/Workspace.js';

/**
 * The back end behind every transport: one open workspace, the API's methods and its events.
 * Transports validate input with API_METHODS before calling in.
 */
export class MammoBackend implements MammoApi, ApiEvents {
  private readonly events = new EventBus<ApiEventPayloads>();
  private readonly studies: StudyRepository;

  private constructor(readonly workspace: Workspace) {
    this.studies = new StudyRepository(workspace.db);
  }

  static open(workspaceDir: string): MammoBackend {
    return new MammoBackend(Workspace.open(workspaceDir));
  }

  subscribe: ApiEvents['subscribe'] = (event, listener) => this.events.subscribe(event, listener);

  async importFiles(request: ImportRequest, signal?: AbortSignal): Promise<ImportResult> {
    const options = {
      onProgress: (progress: ApiEventPayloads['mammo:import.progress']) =>
        this.events.publish(API_EVENTS.importProgress, progress),
      ...(signal ? { signal } : {}),
    };
    if (request.format === 'mias') {
      const importer = new MiasImporter(this.workspace);
      const results: ImportResult[] = [];
      for (const folder of request.paths) results.push(await importer.importFolder(folder, options));
      return mergeImportResults(results);
    }
    return new StudyImporter(this.workspace).importPaths(request.paths, options);
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.studies.listStudySummaries();
  }

  async getStudy({ studyId }: { studyId: number }): Promise<StudyDetail> {
    const detail = this.studies.getStudyDetail(studyId);
    if (!detail) throw new Error(`study ${studyId} not found`);
    return detail;
  }

  close(): void {
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
