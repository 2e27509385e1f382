import type Database from 'better-sqlite3';
import type { BiRadsCategory, DensityCategory, Report, ReportFinding, ReportStatus } from '../api/reports.js';

interface ReportRow {
  id: number;
  study_pk: number;
  version: number;
  status: ReportStatus;
  amends_id: number | null;
  birads: string | null;
  density: string | null;
  findings_json: string;
  impression: string;
  reader: string;
  amendment_reason: string | null;
  created_at: string;
  updated_at: string;
  finalized_at: string | null;
}

export type NewReport = Pick<
  Report,
  'studyId' | 'amendsId' | 'biRads' | 'density' | 'findings' | 'impression' | 'reader' | 'amendmentReason'
>;

/** Report versions. Only drafts change; the checks here back up the service's. */
export class ReportRepository {
  constructor(private readonly db: Database.Database) {}

  insertDraft(report: NewReport): Report {
    const now = new Date().toISOString();
    const version =
      ((
        this.db.prepare('SELECT max(version) AS v FROM reports WHERE study_pk = ?').get(report.studyId) as {
          v: number | null;
        }
      ).v ?? 0) + 1;
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO reports (study_pk, version, status, amends_id, birads, density, findings_json, impression, reader,
             amendment_reason, created_at, updated_at) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          report.studyId,
          version,
          report.amendsId,
          report.biRads,
          report.density,
          JSON.stringify(report.findings),
          report.impression,
          report.reader,
          report.amendmentReason,
          now,
          now,
        ).lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): Report | null {
    const row = this.db.prepare('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow | undefined;
    return row ? toReport(row) : null;
  }

  /** Versions of a study's report, newest first. */
  list(studyId: number): Report[] {
    return (
      this.db
        .prepare('SELECT * FROM reports WHERE study_pk = ? ORDER BY version DESC')
        .all(studyId) as ReportRow[]
    ).map(toReport);
  }

  updateDraft(report: Report): Report {
    const changed = this.db
      .prepare(
        `UPDATE reports SET birads = ?, density = ?, findings_json = ?, impression = ?, reader = ?, updated_at = ?
          WHERE id = ? AND status = 'draft'`,
      )
      .run(
        report.biRads,
        report.density,
        JSON.stringify(report.findings),
        report.impression,
        report.reader,
        new Date().toISOString(),
        report.id,
      ).changes;
    if (changed !== 1) throw new Error(`report ${report.id} is not a draft; it is read-only`);
    return this.get(report.id)!;
  }

  /** Finalises a draft; the version it amends (if any) becomes 'amended'. One transaction. */
  finalize(id: number): Report {
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      const changed = this.db
        .prepare(
          `UPDATE reports SET status = 'final', finalized_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'`,
        )
        .run(now, now, id).changes;
      if (changed !== 1) throw new Error(`report ${id} is not a draft; it is read-only`);
      const amended = this.get(id)!.amendsId;
      if (amended !== null)
        this.db
          .prepare(`UPDATE reports SET status = 'amended' WHERE id = ? AND status = 'final'`)
          .run(amended);
      return this.get(id)!;
    })();
  }

  deleteDraft(id: number): void {
    this.db.prepare(`DELETE FROM reports WHERE id = ? AND status = 'draft'`).run(id);
  }
}

function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    studyId: row.study_pk,
    version: row.version,
    status: row.status,
    amendsId: row.amends_id,
    biRads: row.birads as BiRadsCategory | null,
    density: row.density as DensityCategory | null,
    findings: JSON.parse(row.findings_json) as ReportFinding[],
    impression: row.impression,
    reader: row.reader,
    amendmentReason: row.amendment_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finalizedAt: row.finalized_at,
  };
}
