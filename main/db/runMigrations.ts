import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3... applied in order; the database's user_version records the last one applied. */
  version: number;
  name: string;
  sql: string;
  /**
   * The migration drops and recreates a table others reference (SQLite's way to change a
   * constraint): foreign keys are off while it runs and checked before it commits.
   */
  rebuildsTables?: true;
}

/** Applies each pending migration in its own transaction. */
export function runMigrations(db: Database.Database, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${migration.name}: expected version ${index + 1}, got ${migration.version}`);
    }
  });
  const latest = sorted.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`workspace database is at schema version ${current}, newer than this app (${latest})`);
  }
  for (const migration of sorted) {
    if (migration.version <= current) continue;
    // foreign_keys cannot change inside a transaction, so it is switched around it.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length)
          throw new Error(`migration ${migration.name}: ${broken.length} foreign keys broken`);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (migration.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
}
