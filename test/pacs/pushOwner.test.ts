/**
 * A PACS push left "sending" by a process that is gone (killed mid-send) is marked failed when the
 * workspace is next opened, so the list says so and it can be retried; a push another live process
 * is sending now is left alone. Real processes stand for the senders: a running child and one that
 * has exited.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { PacsRepository } from '../../main/db/PacsRepository.js';
import { PUSH_STALE_MS } from '../../main/pacs/constants.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

const INTERRUPTED = 'interrupted (the app stopped while it sent)';

describe('PACS pushes and the processes that send them', () => {
  const tempDir = useTempDir();
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('fails the pushes of gone senders at start-up and keeps a live one sending', async () => {
    const dir = tempDir();
    const first = MammoBackend.open(dir, { shippedModelsDir: tempDir() });
    await first.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const [study] = await first.listStudies({});
    await first.close();

    // A sender still running (a child that waits) and one that has exited (its id names no process).
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(live);
    const exited = spawnSync(process.execPath, ['-e', 'process.pid'], { stdio: 'ignore' }).pid;

    const workspace = Workspace.open(dir);
    const pushes = new PacsRepository(workspace.db);
    const push = (ownerPid: number | null, updatedAt: Date): number => {
      const { id } = pushes.insertPush(study!.id, 'orthanc', 'sr', [], ['1.2.3']);
      workspace.db
        .prepare('UPDATE pacs_pushes SET owner_pid = ?, updated_at = ? WHERE id = ?')
        .run(ownerPid, updatedAt.toISOString(), id);
      return id;
    };
    const now = new Date();
    const sendingNow = push(live.pid!, now);
    const ofExited = push(exited, now);
    const withoutOwner = push(null, now);
    const stale = push(live.pid!, new Date(now.getTime() - PUSH_STALE_MS - 60_000));
    // A push records the process that inserted it as its sender; a finished one is left as it is.
    const sent = pushes.insertPush(study!.id, 'orthanc', 'sr', [], ['1.2.4']).id;
    expect(workspace.db.prepare('SELECT owner_pid FROM pacs_pushes WHERE id = ?').get(sent)).toEqual({
      owner_pid: process.pid,
    });
    pushes.finishPush(sent, 'sent', null);
    workspace.close();

    const reopened = MammoBackend.open(dir, { shippedModelsDir: tempDir() });
    try {
      const byId = new Map((await reopened.listPacsPushes({ studyId: study!.id })).map((p) => [p.id, p]));
      expect(byId.get(sendingNow)).toMatchObject({ status: 'sending', error: null });
      for (const id of [ofExited, withoutOwner, stale])
        expect(byId.get(id)).toMatchObject({ status: 'failed', error: INTERRUPTED });
      expect(byId.get(sent)).toMatchObject({ status: 'sent', error: null });
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
