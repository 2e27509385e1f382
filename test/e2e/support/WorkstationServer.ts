/** Starts `serve.ts` on a temporary workspace, as `npm run serve` would, and stops it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkstationServerOptions {
  /**
   * Model folders for MAMMO_MODELS_DIR. By default an empty folder, so that the tests never run
   * whatever model the checkout ships (the AI display then says no model is installed).
   */
  modelsDir?: string;
}

/** The session cookie a browser gets for the launch link's one-time code. */
export interface SessionCookie {
  name: string;
  value: string;
}

/** A started server as the tests reach it: its origin and the session its launch link opened. */
export interface SignedInServer {
  readonly origin: string;
  readonly sessionCookie: SessionCookie;
}

export class WorkstationServer implements SignedInServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly workspace: string,
    readonly origin: string,
    readonly sessionCookie: SessionCookie,
    private readonly ownModelsDir: string | null,
  ) {}

  /** The session secret, for `Authorization: Bearer`. */
  get token(): string {
    return this.sessionCookie.value;
  }

  static async start(options: WorkstationServerOptions = {}): Promise<WorkstationServer> {
    const workspace = mkdtempSync(join(tmpdir(), 'mammo-e2e-'));
    const ownModelsDir = options.modelsDir ? null : mkdtempSync(join(tmpdir(), 'mammo-e2e-no-models-'));
    const { child, url } = await startServeProcess(workspace, options.modelsDir ?? ownModelsDir ?? '');
    const sessionCookie = await openLaunchLink(url);
    return new WorkstationServer(child, workspace, new URL(url).origin, sessionCookie, ownModelsDir);
  }

  /** Calls an API method directly (test set-up), with the token. */
  async api(method: string, input: unknown): Promise<unknown> {
    const response = await fetch(`${this.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
      body: JSON.stringify(input),
    });
    if (!response.ok) throw new Error(`${method}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.workspace, { recursive: true, force: true });
    if (this.ownModelsDir) rmSync(this.ownModelsDir, { recursive: true, force: true });
  }
}

/**
 * The first page load, as a browser makes it: spends the launch link's one-time code for the
 * session cookie. Each test's browser context then gets that cookie (WorklistPage.goto), since the
 * link opens only once.
 */
export async function openLaunchLink(url: string): Promise<SessionCookie> {
  const response = await fetch(url, { redirect: 'manual' });
  const match = /^([^=;]+)=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
  if (response.status !== 303 || !match?.[1] || !match[2])
    throw new Error(`the launch link ${url} did not open a session: ${response.status}`);
  return { name: match[1], value: match[2] };
}

/** Starts `serve.ts` on a workspace and resolves with the process and the URL it prints. */
export async function startServeProcess(
  workspace: string,
  modelsDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/server/serve.ts', '--workspace', workspace],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MAMMO_MODELS_DIR: modelsDir },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${output}`));
    });
  });
  return { child, url };
}
