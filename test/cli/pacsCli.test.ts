import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, OrthancServer } from '../helpers/orthanc.js';
import { MAMMO_BIN } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { screeningStudy, type GeneratedStudy } from '../pacs/pacsStudies.js';

const run = promisify(execFile);
const PASSWORD = 'cli-secret-91ab';

describe('mammo pacs / mammo listen', () => {
  const tempDir = useTempDir();
  let orthanc: OrthancServer;
  let study: GeneratedStudy;

  beforeAll(async () => {
    orthanc = await OrthancServer.start({ users: { cli: PASSWORD } });
    study = screeningStudy({
      patientId: 'CLI-1',
      patientName: 'Cli^Test',
      studyDate: '20240601',
      accessionNumber: 'ACC-C',
    });
    for (const instance of study.instances) await orthanc.store(instance.file);
  });

  afterAll(async () => {
    await orthanc?.stop();
  });

  /** One CLI run; each costs a process start (seconds on a loaded machine), so the tests make few. */
  async function mammo(
    workspace: string,
    ...args: string[]
  ): Promise<{ stdout: string; stderr: string; code: number }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [MAMMO_BIN, '--workspace', workspace, ...args]);
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const failure = error as { stdout: string; stderr: string; code: number };
      return { stdout: failure.stdout, stderr: failure.stderr, code: failure.code };
    }
  }

  it('adds a node (password from a file), lists it without the secret, queries, retrieves, sends', async () => {
    const workspace = tempDir();
    const passwordFile = join(tempDir(), 'password');
    writeFileSync(passwordFile, `${PASSWORD}\n`);
    const added = await mammo(
      workspace,
      'pacs',
      'add',
      'main',
      '--url',
      orthanc.dicomWebUrl,
      '--user',
      'cli',
      '--password-file',
      passwordFile,
      '--aet',
      orthanc.aeTitle,
      '--host',
      '127.0.0.1',
      '--port',
      String(orthanc.dicomPort),
    );
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).not.toContain(PASSWORD);

    const listed = await mammo(workspace, 'pacs', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'main', auth: 'basic', hasSecret: true }),
    ]);
    expect(listed.stdout).not.toContain(PASSWORD);

    // The table starts each line with the studyInstanceUID.
    const found = await mammo(
      workspace,
      'pacs',
      'query',
      '--node',
      'main',
      '--patient',
      'Cli',
      '--from',
      '2024-01-01',
    );
    expect(found.stdout.split('\n').map((line) => line.split('\t').slice(0, 2))).toContainEqual([
      study.studyInstanceUid,
      'CLI-1',
    ]);

    const retrieved = await mammo(
      workspace,
      'pacs',
      'retrieve',
      study.studyInstanceUid,
      '--node',
      'main',
      '--json',
    );
    expect(retrieved.code).toBe(0);
    expect(JSON.parse(retrieved.stdout)).toMatchObject({ imported: 4, skipped: 0, errors: [] });

    // The report goes back; without an AI analysis there is no CAD SR: a clear error, exit 1.
    const studyId = String(JSON.parse(retrieved.stdout).studies[0].id);
    const sent = await mammo(workspace, 'pacs', 'send', studyId, '--pdf', '--sr', '--node', 'main', '--json');
    expect(sent.code).toBe(1);
    expect(JSON.parse(sent.stdout)).toEqual([expect.objectContaining({ kind: 'pdf', status: 'sent' })]);
    expect(sent.stderr).toMatch(/error: sr: .*no image of the study has an AI prediction/);
  }, 240_000);

  it('mammo listen: receives a storescu push into the workspace', async () => {
    const workspace = tempDir();
    const port = await freePort();
    const listener = spawn(process.execPath, [
      MAMMO_BIN,
      '--workspace',
      workspace,
      'listen',
      '--port',
      String(port),
      '--aet',
      'MAMMO',
      '--allow',
      'SCU',
      '--json',
    ]);
    let out = '';
    let err = '';
    listener.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    listener.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    try {
      const deadline = Date.now() + 150_000;
      while (!err.includes('listening on port') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(err).toContain(`listening on port ${port} as MAMMO; accepting SCU`);
      const file = join(tempDir(), 'view.dcm');
      writeFileSync(file, study.instances[0]!.file);
      await run('storescu', ['-aet', 'SCU', '-aec', 'MAMMO', '127.0.0.1', String(port), file]);
      while (!out.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(JSON.parse(out.split('\n')[0]!)).toMatchObject({
        callingAeTitle: 'SCU',
        sopInstanceUid: study.instances[0]!.sopInstanceUid,
        outcome: 'imported',
      });
    } finally {
      const exited = new Promise((resolve) => listener.once('exit', resolve));
      listener.kill('SIGINT');
      await exited;
    }
    const studies = await mammo(workspace, 'studies', '--json');
    expect(JSON.parse(studies.stdout)).toEqual([
      expect.objectContaining({ patientId: 'CLI-1', imageCount: 1 }),
    ]);
  }, 240_000);
});
