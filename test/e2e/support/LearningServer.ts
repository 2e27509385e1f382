/**
 * The learning e2e's server: `serve.ts` on a prepared workspace with a tiny model
 * (MAMMO_MODELS_DIR), which the test can kill outright and start again on the same workspace.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Annotation } from '../../../main/api/annotations.js';
import type { TrainingSample } from '../../../main/api/training.js';
import { maskFileBits } from './maskBits.js';
import {
  REPO_ROOT,
  type SessionCookie,
  type SignedInServer,
  openLaunchLink,
  startServeProcess,
} from './WorkstationServer.js';

export class LearningServer implements SignedInServer {
  private child: ChildProcess | null = null;
  origin = '';
  sessionCookie: SessionCookie = { name: '', value: '' };

  private constructor(
    readonly workspace: string,
    readonly modelsDir: string,
    readonly modelId: string,
  ) {}

  /**
   * Prepares a workspace (tiny model, mini-MIAS, ground-truth samples) and starts the server on it.
   * `logitBias` raises the tiny model's map so that it outlines findings.
   */
  static async start(modelId: string, logitBias?: number): Promise<LearningServer> {
    const workspace = mkdtempSync(join(tmpdir(), 'mammo-e2e-learning-'));
    const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-e2e-learning-models-'));
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/e2e/support/prepareLearningWorkspace.ts',
        workspace,
        modelsDir,
        modelId,
        ...(logitBias === undefined ? [] : [String(logitBias)]),
      ],
      { cwd: REPO_ROOT, maxBuffer: 16 * 2 ** 20 },
    );
    const server = new LearningServer(workspace, modelsDir, modelId);
    await server.launch();
    return server;
  }

  /** The session secret, for `Authorization: Bearer`. */
  get token(): string {
    return this.sessionCookie.value;
  }

  /**
   * The workspace's training samples as the API lists them (what a fine-tune would learn with
   * `unlearnedOnly`). A saved correction's sample is built after its save answers; the listing
   * builds any that is missing first, so it always holds every saved correction.
   */
  async trainingSamples(input: { unlearnedOnly?: boolean } = {}): Promise<TrainingSample[]> {
    return this.call<TrainingSample[]>('listTrainingSamples', input);
  }

  /** An image's saved annotation versions as the API lists them, newest first. */
  async annotations(imageId: number): Promise<Annotation[]> {
    return this.call<Annotation[]>('listAnnotations', { imageId });
  }

  /** An image's newest saved annotation and its mask file on disk, one bit a pixel. */
  async newestSavedMask(imageId: number): Promise<{ annotation: Annotation; bits: Uint8Array }> {
    const [annotation] = await this.annotations(imageId);
    if (!annotation) throw new Error(`image ${imageId} has no saved annotation`);
    return { annotation, bits: maskFileBits(join(this.workspace, annotation.maskPath)) };
  }

  private async call<T>(method: string, input: object): Promise<T> {
    const response = await fetch(`${this.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
      body: JSON.stringify(input),
    });
    if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  /** Kills the server without letting it shut down (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** Starts the server again on the same workspace (a new port and token). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.workspace, { recursive: true, force: true });
    rmSync(this.modelsDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const { child, url } = await startServeProcess(this.workspace, this.modelsDir);
    this.child = child;
    this.origin = new URL(url).origin;
    this.sessionCookie = await openLaunchLink(url);
  }
}
