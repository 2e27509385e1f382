import { extentSizeMm } from '../api/findingSize.js';
import type { Report, ReportEdit, ReportFinding } from '../api/reports.js';
import { AuditLog } from '../db/AuditLog.js';
import { ReportRepository } from '../db/ReportRepository.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import type { Workspace } from '../workspace/Workspace.js';
import { SourceReader } from './dicom/dicomCommon.js';
import { estimateBreastGeometry, locateFinding, type BreastGeometry } from './findingLocation.js';
import { StudyMaterial, type ImageMaterial } from './StudyMaterial.js';

/**
 * The structured report of a study: a draft pre-filled from the reader's final labels, edited,
 * then finalised (read-only). Changing a final report means amending it: a new draft version that
 * replaces it once finalised.
 *
 * @example
 * const draft = await reports.start(studyId, 'dr.a');
 * reports.update(draft.id, { biRads: '4A', density: 'c', impression: 'Spiculated mass, biopsy advised.' });
 * reports.finalize(draft.id);
 */
export class ReportService {
  private readonly reports: ReportRepository;
  private readonly audit: AuditLog;
  readonly material: StudyMaterial;
  private readonly sources: SourceReader;

  constructor(workspace: Workspace, registry: ModelRegistry) {
    this.reports = new ReportRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.material = new StudyMaterial(workspace, registry);
    this.sources = new SourceReader(workspace);
  }

  list(studyId: number): Report[] {
    return this.reports.list(studyId);
  }

  get(reportId: number): Report {
    const report = this.reports.get(reportId);
    if (!report) throw new Error(`report ${reportId} not found`);
    return report;
  }

  /** The open draft of a study, or a new one pre-filled from its findings. Refuses when a final exists. */
  async start(studyId: number, reader: string): Promise<Report> {
    const latest = this.reports.list(studyId)[0];
    if (latest?.status === 'draft') return latest;
    if (latest)
      throw new Error(`study ${studyId} has a final report (version ${latest.version}); amend it instead`);
    const draft = this.reports.insertDraft({
      studyId,
      amendsId: null,
      biRads: null,
      density: null,
      findings: await this.prefillFindings(studyId),
      impression: '',
      reader,
      amendmentReason: null,
    });
    this.audit.record('report.started', `study:${studyId}`, { reportId: draft.id }, reader);
    return draft;
  }

  update(reportId: number, edit: ReportEdit): Report {
    const report = this.get(reportId);
    if (report.status !== 'draft')
      throw new Error(`report ${reportId} is ${report.status}; it is read-only (amend it instead)`);
    const next: Report = { ...report };
    if (edit.biRads !== undefined) next.biRads = edit.biRads;
    if (edit.density !== undefined) next.density = edit.density;
    if (edit.findings !== undefined) next.findings = edit.findings;
    if (edit.impression !== undefined) next.impression = edit.impression;
    if (edit.reader !== undefined) next.reader = edit.reader;
    return this.reports.updateDraft(next);
  }

  /** Signs a draft. It needs an assessment and a reader; from then on it is read-only. */
  finalize(reportId: number): Report {
    const report = this.get(reportId);
    if (report.status !== 'draft') throw new Error(`report ${reportId} is already ${report.status}`);
    if (report.biRads === null)
      throw new Error(`report ${reportId}: set the BI-RADS assessment before finalising`);
    if (!report.reader.trim()) throw new Error(`report ${reportId}: set the reader before finalising`);
    const final = this.reports.finalize(reportId);
    this.audit.record(
      'report.finalized',
      `study:${report.studyId}`,
      { reportId, version: report.version },
      report.reader,
    );
    return final;
  }

  /** A new draft version copying a final report, to be edited and finalised in its place. */
  amend(reportId: number, reader: string, reason: string): Report {
    const report = this.get(reportId);
    if (report.status !== 'final')
      throw new Error(`report ${reportId} is ${report.status}; only the final version can be amended`);
    const open = this.reports.list(report.studyId)[0];
    if (open?.status === 'draft') return open;
    const draft = this.reports.insertDraft({
      ...report,
      amendsId: report.id,
      reader,
      amendmentReason: reason,
    });
    this.audit.record(
      'report.amended',
      `study:${report.studyId}`,
      { reportId: draft.id, amends: report.id, reason },
      reader,
    );
    return draft;
  }

  /**
   * Findings from the final labels: every AI finding the reader accepted, and every finding the
   * reader added, each located on its view (see findingLocation.ts).
   */
  async prefillFindings(studyId: number): Promise<ReportFinding[]> {
    const { images } = this.material.load(studyId);
    const findings: ReportFinding[] = [];
    for (const item of images) {
      if (!item.annotation) continue;
      const geometry = estimateBreastGeometry(
        await this.material.display(item.image),
        item.image.rows,
        item.image.columns,
      );
      findings.push(...this.findingsOf(item, geometry));
    }
    return findings;
  }

  private findingsOf(item: ImageMaterial, geometry: BreastGeometry): ReportFinding[] {
    const { image, annotation, prediction } = item;
    if (!annotation) return [];
    const laterality = image.laterality === 'L' || image.laterality === 'R' ? image.laterality : null;
    // Which patient direction the stored pixels run in down the image, when the source says.
    const columnDirection = this.sources.dicomPatientOrientation(image)?.[1] ?? null;
    const out: ReportFinding[] = [];
    for (const decision of annotation.findings.decisions) {
      if (decision.decision !== 'accepted') continue;
      const finding = prediction?.findings.find((f) => f.index === decision.findingIndex);
      if (!finding) continue;
      const point = { row: finding.centroidRow, column: finding.centroidColumn };
      const { bounds } = finding;
      out.push({
        source: 'ai',
        imageId: image.id,
        findingIndex: finding.index,
        laterality,
        view: image.view,
        type: null,
        ...locateFinding(geometry, point, image.laterality, image.view, columnDirection),
        sizeMm: extentSizeMm(
          { top: bounds.top, left: bounds.left, bottom: bounds.bottom + 1, right: bounds.right + 1 },
          image.pixelSpacingMm,
        ),
        aiScore: finding.maxProbability,
        centroidRow: finding.centroidRow,
        centroidColumn: finding.centroidColumn,
        note: '',
      });
    }
    for (const added of annotation.findings.added) {
      out.push({
        source: 'reader',
        imageId: image.id,
        findingIndex: null,
        laterality,
        view: image.view,
        type: added.type,
        ...locateFinding(
          geometry,
          { row: added.centroidRow, column: added.centroidColumn },
          image.laterality,
          image.view,
          columnDirection,
        ),
        // The reader's own outline, never whatever mask lies under the click; a click alone has no size.
        sizeMm: added.extent ? extentSizeMm(added.extent, image.pixelSpacingMm) : null,
        aiScore: null,
        centroidRow: added.centroidRow,
        centroidColumn: added.centroidColumn,
        note: '',
      });
    }
    return out;
  }
}
