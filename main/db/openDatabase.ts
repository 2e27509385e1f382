import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';
import { runMigrations } from './runMigrations.js';

/** Opens (creating if needed) the workspace database in WAL mode and brings its schema up to date. */
export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // NORMAL is durable in WAL mode across application crashes; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  runMigrations(db, MIGRATIONS);
  return db;
}
