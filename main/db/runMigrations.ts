import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3... applied in order; the database's user_version records the last one applied. */
  version: number;
  name: string;
  sql: string;
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
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
