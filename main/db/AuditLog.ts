import type Database from 'better-sqlite3';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
}

/** Append-only record of what changed in the workspace, who did it and when. */
export class AuditLog {
  constructor(private readonly db: Database.Database) {}

  /** Call inside the transaction that makes the change, so the entry and the change land together. */
  record(action: string, subject: string | null, details: unknown = null, actor = defaultActor()): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, subject, details_json) VALUES (?, ?, ?, ?, ?)')
      .run(
        new Date().toISOString(),
        actor,
        action,
        subject,
        details === null ? null : JSON.stringify(details),
      );
  }

  /** Whether an action was ever recorded for a subject (to record a standing fact once). */
  has(action: string, subject: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM audit_log WHERE action = ? AND subject = ? LIMIT 1')
        .get(action, subject) !== undefined
    );
  }

  list(limit = 100): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT id, at, actor, action, subject, details_json FROM audit_log ORDER BY id DESC LIMIT ?')
      .all(limit) as {
      id: number;
      at: string;
      actor: string;
      action: string;
      subject: string | null;
      details_json: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      details: row.details_json === null ? null : (JSON.parse(row.details_json) as unknown),
    }));
  }
}

function defaultActor(): string {
  return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
}
