import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../main/db/migrations/index.js';
import { openDatabase } from '../../main/db/openDatabase.js';
import { runMigrations } from '../../main/db/runMigrations.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('database migrations', () => {
  const tempDir = useTempDir();

  it('creates the schema at the latest version in WAL mode', () => {
    const db = openDatabase(join(tempDir(), 'db.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['patients', 'studies', 'series', 'images', 'audit_log']));
    db.close();
  });

  it('reopening applies nothing twice', () => {
    const file = join(tempDir(), 'db.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const db = new Database(':memory:');
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1);' },
    ];
    expect(() => runMigrations(db, broken)).toThrow(/missing/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
  });

  it('migration 11 rebuilds studies for the cbis-ddsm source and keeps every row and reference', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 10),
    );
    db.exec(`INSERT INTO patients (id, patient_id) VALUES (1, 'MIAS-001');
      INSERT INTO studies (id, study_uid, patient_pk, source, imported_at) VALUES (7, '1.2.3', 1, 'mias', 'now');
      INSERT INTO series (id, series_uid, study_pk, modality) VALUES (3, '1.2.3.4', 7, 'MG');`);
    // SQLite refuses a value outside a CHECK constraint: the old schema has no room for the new source.
    expect(() =>
      db.exec(
        `INSERT INTO studies (study_uid, patient_pk, source, imported_at) VALUES ('x', 1, 'cbis-ddsm', 'now')`,
      ),
    ).toThrow(/CHECK constraint/);
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 11),
    );
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, source FROM studies').all()).toEqual([{ id: 7, source: 'mias' }]);
    db.exec(
      `INSERT INTO studies (study_uid, patient_pk, source, imported_at) VALUES ('x', 1, 'cbis-ddsm', 'now')`,
    );
    expect(() =>
      db.exec(
        `INSERT INTO studies (study_uid, patient_pk, source, imported_at) VALUES ('y', 1, 'other', 'now')`,
      ),
    ).toThrow(/CHECK constraint/);
    // The series still references its study: deleting the study is refused by the foreign key.
    expect(() => db.exec('DELETE FROM studies WHERE id = 7')).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('refuses a database newer than the app', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => runMigrations(db, MIGRATIONS)).toThrow(/newer than this app/);
  });
});
