import { readFileSync, existsSync } from 'node:fs';
import type { PacsPush, PacsPushKind } from '../api/pacs.js';
import { sha256Hex } from '../common/sha256.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { AuditLog } from '../db/AuditLog.js';
import type { PacsRepository, PushFile } from '../db/PacsRepository.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { derivedUid, readPart10, SourceReader, writePart10 } from '../reports/dicom/dicomCommon.js';
import { buildEncapsulatedPdf } from '../reports/dicom/encapsulatedPdf.js';
import type { ExportService } from '../reports/ExportService.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { DicomJson, DicomwebConnection } from './DicomwebConnection.js';

const ENCAPSULATED_PDF_SERIES_NUMBER = 904;

/**
 * Store-back of a study's results with STOW-RS: the DICOM SEG of the final masks, the
 * Mammography CAD SR, or the report as an Encapsulated PDF. The files are written by the export
 * service into the workspace's exports folder and their hashes recorded with the push, so a
 * failed push is retried with exactly the same bytes (a changed file is refused).
 */
export class ResultSender {
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly sources: SourceReader;

  constructor(
    private readonly workspace: Workspace,
    private readonly exports: ExportService,
    private readonly pacs: PacsRepository,
    private readonly connect: (nodeName: string) => DicomwebConnection,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.sources = new SourceReader(workspace);
  }

  /** Exports the results and sends them; the push is recorded whether it succeeds or fails. */
  async send(studyId: number, kind: PacsPushKind, nodeName: string): Promise<PacsPush> {
    const connection = this.connect(nodeName);
    const files = await this.exportFiles(studyId, kind);
    const instances = files.map((f) =>
      String(readPart10(readFileSync(this.workspace.resolvePath(f.path)))['SOPInstanceUID']),
    );
    const push = this.pacs.insertPush(studyId, nodeName, kind, files, instances);
    return this.transfer(push, connection);
  }

  /** Sends a failed push again, with the files it exported then. */
  async retry(pushId: number): Promise<PacsPush> {
    const push = this.pacs.getPush(pushId);
    if (!push) throw new Error(`push ${pushId} not found`);
    if (push.status === 'sent') throw new Error(`push ${pushId} was already sent`);
    const connection = this.connect(push.node);
    return this.transfer(this.pacs.restartPush(pushId), connection);
  }

  private async transfer(push: PacsPush, connection: DicomwebConnection): Promise<PacsPush> {
    const studyUid = this.studies.getStudyDetail(push.studyId)?.study.studyUid;
    let error: string | null = null;
    try {
      if (!studyUid) throw new Error(`study ${push.studyId} not found`);
      const bytes = this.pacs.pushFiles(push.id).map((file) => this.readVerified(file));
      const response = await connection.storeInstances(studyUid, bytes);
      error = storeFailures(response, push.instances);
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const finished = this.workspace.db.transaction(() => {
      const done = this.pacs.finishPush(push.id, error ? 'failed' : 'sent', error);
      this.audit.record(error ? 'pacs.push.failed' : 'pacs.push.sent', studyUid ?? null, {
        pushId: push.id,
        node: push.node,
        kind: push.kind,
        instances: push.instances,
        ...(error ? { error } : {}),
      });
      return done;
    })();
    return finished;
  }

  /** The file's bytes, refused when they no longer match the hash recorded at export. */
  private readVerified(file: PushFile): Uint8Array {
    const path = this.workspace.resolvePath(file.path);
    if (!existsSync(path)) throw new Error(`${path}: missing; send again`);
    const bytes = readFileSync(path);
    if (sha256Hex(bytes) !== file.sha256)
      throw new Error(`${path}: changed since it was exported; send again`);
    return bytes;
  }

  /** The Part 10 files of one kind of result, written into the study's exports folder. */
  private async exportFiles(studyId: number, kind: PacsPushKind): Promise<PushFile[]> {
    let paths: string[];
    if (kind === 'pdf') {
      const [pdfPath] = (
        await this.exports.exportStudy(studyId, 'pdf', this.exports.defaultTarget(studyId, 'pdf'))
      ).files;
      const detail = this.studies.getStudyDetail(studyId);
      if (!pdfPath || !detail) throw new Error(`study ${studyId}: the report could not be exported`);
      const pdf = readFileSync(pdfPath);
      const dataset = buildEncapsulatedPdf({
        patientStudy: this.sources.patientStudy(detail),
        pdf,
        title: 'Mammography report',
        // One instance per PDF content: the same report sent twice is the same instance.
        sopInstanceUid: derivedUid(`pdf:${detail.study.studyUid}:${sha256Hex(pdf)}`),
        seriesInstanceUid: derivedUid(`pdf-series:${detail.study.studyUid}`),
        seriesNumber: ENCAPSULATED_PDF_SERIES_NUMBER,
        createdAt: new Date(),
      });
      const target = `${pdfPath.replace(/\.pdf$/, '')}.dcm`;
      if (existsSync(target)) throw new Error(`${target}: already exists`);
      writeFileAtomic(target, writePart10(dataset));
      paths = [target];
    } else {
      const result = await this.exports.exportStudy(studyId, kind, this.exports.defaultTarget(studyId, kind));
      paths = result.files;
      if (paths.length === 0)
        throw new Error(`study ${studyId}: nothing to send (${result.notes.join('; ') || `no ${kind}`})`);
    }
    return paths.map((path) => ({
      path: this.workspace.relativePath(path),
      sha256: sha256Hex(readFileSync(path)),
    }));
  }
}

/** Failures a STOW-RS response lists (PS3.18 10.5.3), or null when every instance was stored. */
function storeFailures(response: DicomJson, sent: readonly string[]): string | null {
  const failed = (response['00081198']?.Value ?? []) as DicomJson[];
  if (failed.length > 0) {
    return failed
      .map((item) => {
        const uid = item['00081155']?.Value?.[0] ?? '?';
        const reason = item['00081197']?.Value?.[0];
        return `instance ${String(uid)} refused${reason !== undefined ? ` (failure reason ${Number(reason).toString(16)}H)` : ''}`;
      })
      .join('; ');
  }
  const stored = new Set(
    ((response['00081199']?.Value ?? []) as DicomJson[]).map((item) => String(item['00081155']?.Value?.[0])),
  );
  const missing = sent.filter((uid) => !stored.has(uid));
  return missing.length > 0 ? `the PACS did not confirm ${missing.length} of ${sent.length} instances` : null;
}
