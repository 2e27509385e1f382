/**
 * `npm run serve` stopped by SIGTERM or SIGINT (a service manager, Ctrl+C) exits only after the
 * back end has closed. The outside sign: SQLite checkpoints and deletes the write-ahead log when
 * the last connection closes, so `mammo.sqlite-wal` is gone; a process that exits first leaves it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

async function startServe(workspace: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/server/serve.ts', '--workspace', workspace],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MAMMO_MODELS_DIR: join(workspace, 'no-models') },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Open (http\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  return { child, url };
}

describe('serve on SIGTERM and SIGINT', () => {
  const tempDir = useTempDir('mammo-serve-signal-');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`closes the workspace before it exits (${signal})`, async () => {
      const workspace = join(tempDir(), 'workspace');
      const { child, url } = await startServe(workspace);
      // A browser's session: the server answers, and opening the workspace wrote its schema to the log.
      const cookie =
        (await fetch(url, { redirect: 'manual' })).headers.get('set-cookie')?.split(';')[0] ?? '';
      const listed = await fetch(`${new URL(url).origin}/api/listStudies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: new URL(url).origin },
        body: '{}',
      });
      expect(listed.status).toBe(200);
      expect(existsSync(join(workspace, 'mammo.sqlite-wal'))).toBe(true);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(existsSync(join(workspace, 'mammo.sqlite-wal'))).toBe(false);
      const db = new Database(join(workspace, 'mammo.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    });
  }
});
