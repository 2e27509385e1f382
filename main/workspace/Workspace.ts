import type BetterSqlite3 from 'better-sqlite3';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { openDatabase } from '../db/openDatabase.js';
import { createFolders } from './createFolders.js';
import { sweepStaleTempFiles } from './sweepStaleTempFiles.js';

/**
 * One folder that holds everything a clinician's work produces: the SQLite database and the
 * content-addressed store of imported files.
 */
export class Workspace {
  readonly db: BetterSqlite3.Database;

  private constructor(
    readonly root: string,
    db: BetterSqlite3.Database,
  ) {
    this.db = db;
  }

  static open(root: string): Workspace {
    const absolute = resolve(root);
    createFolders(join(absolute, 'store'));
    sweepStaleTempFiles(absolute);
    return new Workspace(absolute, openDatabase(join(absolute, 'mammo.sqlite')));
  }

  /** Absolute path of a workspace-relative path; refuses anything that escapes the workspace. */
  resolvePath(relativePath: string): string {
    const absolute = resolve(this.root, relativePath);
    const rel = relative(this.root, absolute);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new Error(`${relativePath}: outside the workspace`);
    }
    return absolute;
  }

  /** Workspace-relative path (with forward slashes) of a file inside it. */
  relativePath(absolutePath: string): string {
    return relative(this.root, absolutePath).split(sep).join('/');
  }

  close(): void {
    this.db.close();
  }
}
