import type Database from 'better-sqlite3';
import type {
  DicomListenerSettings,
  PacsAuthKind,
  PacsNode,
  PacsNodeInput,
  PacsPush,
  PacsPushKind,
  PacsPushStatus,
} from '../api/pacs.js';

interface NodeRow {
  id: number;
  name: string;
  url: string;
  auth: PacsAuthKind;
  username: string | null;
  secret: string | null;
  ae_title: string | null;
  host: string | null;
  port: number | null;
  created_at: string;
}

interface PushRow {
  id: number;
  study_pk: number;
  node_name: string;
  kind: PacsPushKind;
  status: PacsPushStatus;
  files_json: string;
  instances_json: string;
  error: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  owner_pid: number | null;
}

/** A node with its secret: for the back end's own requests only, never for a transport. */
export interface PacsNodeWithSecret extends PacsNode {
  secret: string | null;
}

/** A file a push sends, with the hash it had when it was written. */
export interface PushFile {
  path: string;
  sha256: string;
}

/** PACS nodes, store-back pushes and the listener's settings. */
export class PacsRepository {
  constructor(private readonly db: Database.Database) {}

  listNodes(): PacsNode[] {
    const rows = this.db.prepare('SELECT * FROM pacs_nodes ORDER BY name').all() as NodeRow[];
    return rows.map((row) => publicNode(row));
  }

  /** The node with its secret, or undefined. */
  nodeWithSecret(name: string): PacsNodeWithSecret | undefined {
    const row = this.db.prepare('SELECT * FROM pacs_nodes WHERE name = ?').get(name) as NodeRow | undefined;
    return row ? { ...publicNode(row), secret: row.secret } : undefined;
  }

  /** Inserts or updates by name; `secret: undefined` keeps the stored one. */
  saveNode(input: PacsNodeInput): PacsNode {
    const existing = this.db.prepare('SELECT * FROM pacs_nodes WHERE name = ?').get(input.name) as
      NodeRow | undefined;
    const secret = input.secret === undefined ? (existing?.secret ?? null) : input.secret || null;
    const values = [
      input.url,
      input.auth,
      input.username ?? null,
      input.auth === 'none' ? null : secret,
      input.aeTitle ?? null,
      input.host ?? null,
      input.port ?? null,
    ];
    if (existing) {
      this.db
        .prepare(
          'UPDATE pacs_nodes SET url = ?, auth = ?, username = ?, secret = ?, ae_title = ?, host = ?, port = ? WHERE id = ?',
        )
        .run(...values, existing.id);
    } else {
      this.db
        .prepare(
          `INSERT INTO pacs_nodes (url, auth, username, secret, ae_title, host, port, name, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...values, input.name, new Date().toISOString());
    }
    return publicNode(this.db.prepare('SELECT * FROM pacs_nodes WHERE name = ?').get(input.name) as NodeRow);
  }

  /** True when a node was removed. */
  removeNode(name: string): boolean {
    return this.db.prepare('DELETE FROM pacs_nodes WHERE name = ?').run(name).changes > 0;
  }

  insertPush(
    studyId: number,
    node: string,
    kind: PacsPushKind,
    files: PushFile[],
    instances: string[],
  ): PacsPush {
    const now = new Date().toISOString();
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO pacs_pushes (study_pk, node_name, kind, status, files_json, instances_json, created_at, updated_at, owner_pid)
           VALUES (?, ?, ?, 'sending', ?, ?, ?, ?, ?)`,
        )
        .run(studyId, node, kind, JSON.stringify(files), JSON.stringify(instances), now, now, process.pid)
        .lastInsertRowid,
    );
    return this.getPush(id)!;
  }

  /** Marks a push as being sent again (a retry): one more attempt. */
  restartPush(id: number): PacsPush {
    this.db
      .prepare(
        "UPDATE pacs_pushes SET status = 'sending', error = NULL, attempts = attempts + 1, updated_at = ?, owner_pid = ? WHERE id = ?",
      )
      .run(new Date().toISOString(), process.pid, id);
    return this.getPush(id)!;
  }

  finishPush(id: number, status: 'sent' | 'failed', error: string | null): PacsPush {
    this.db
      .prepare('UPDATE pacs_pushes SET status = ?, error = ?, updated_at = ? WHERE id = ?')
      .run(status, error, new Date().toISOString(), id);
    return this.getPush(id)!;
  }

  /**
   * Pushes left "sending" by a process that is gone (a crash, a quit mid-send) are marked failed,
   * so the list says so and they can be retried; one whose sender `isLive` says still sends it
   * (another process on the same workspace) is left alone.
   *
   * @returns how many were marked failed.
   */
  failInterruptedPushes(isLive: (ownerPid: number | null, updatedAt: string) => boolean): number {
    const sending = this.db
      .prepare("SELECT id, owner_pid, updated_at FROM pacs_pushes WHERE status = 'sending'")
      .all() as Pick<PushRow, 'id' | 'owner_pid' | 'updated_at'>[];
    const fail = this.db.prepare(
      "UPDATE pacs_pushes SET status = 'failed', error = 'interrupted (the app stopped while it sent)', updated_at = ? WHERE id = ? AND status = 'sending'",
    );
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      let failed = 0;
      for (const row of sending)
        if (!isLive(row.owner_pid, row.updated_at)) failed += fail.run(now, row.id).changes;
      return failed;
    })();
  }

  getPush(id: number): PacsPush | undefined {
    const row = this.db.prepare('SELECT * FROM pacs_pushes WHERE id = ?').get(id) as PushRow | undefined;
    return row ? toPush(row) : undefined;
  }

  pushFiles(id: number): PushFile[] {
    const row = this.db.prepare('SELECT files_json FROM pacs_pushes WHERE id = ?').get(id) as
      { files_json: string } | undefined;
    return row ? (JSON.parse(row.files_json) as PushFile[]) : [];
  }

  listPushes(studyId: number): PacsPush[] {
    const rows = this.db
      .prepare('SELECT * FROM pacs_pushes WHERE study_pk = ? ORDER BY id DESC')
      .all(studyId) as PushRow[];
    return rows.map(toPush);
  }

  listenerSettings(): DicomListenerSettings {
    const row = this.db.prepare('SELECT * FROM dicom_listener WHERE id = 1').get() as {
      enabled: number;
      port: number;
      ae_title: string;
      allowed_calling_json: string;
    };
    return {
      enabled: row.enabled === 1,
      port: row.port,
      aeTitle: row.ae_title,
      allowedCallingAeTitles: JSON.parse(row.allowed_calling_json) as string[],
    };
  }

  saveListenerSettings(settings: DicomListenerSettings): void {
    this.db
      .prepare(
        'UPDATE dicom_listener SET enabled = ?, port = ?, ae_title = ?, allowed_calling_json = ? WHERE id = 1',
      )
      .run(
        settings.enabled ? 1 : 0,
        settings.port,
        settings.aeTitle,
        JSON.stringify(settings.allowedCallingAeTitles),
      );
  }
}

function publicNode(row: NodeRow): PacsNode {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    auth: row.auth,
    username: row.username,
    hasSecret: row.secret !== null && row.secret !== '',
    aeTitle: row.ae_title,
    host: row.host,
    port: row.port,
    createdAt: row.created_at,
  };
}

function toPush(row: PushRow): PacsPush {
  return {
    id: row.id,
    studyId: row.study_pk,
    node: row.node_name,
    kind: row.kind,
    status: row.status,
    instances: JSON.parse(row.instances_json) as string[],
    error: row.error,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
