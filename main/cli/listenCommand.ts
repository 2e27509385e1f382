import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_EVENTS, API_METHODS } from '../api/contract.js';
import type { Command } from './mammo.js';
import { UsageError } from './UsageError.js';

/**
 * `mammo listen --port P --aet AET --allow AE[,AE...] [--json]`: runs the C-STORE listener in the
 * foreground until Ctrl-C, one line per received object (JSON lines with --json). Without
 * --allow, the calling AE titles saved in the workspace's listener settings are used.
 */
export const listenCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      aet: { type: 'string' },
      allow: { type: 'string' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
  });
  const saved = await backend.getDicomListener({});
  const parsed = API_METHODS.setDicomListener.input.safeParse({
    enabled: true,
    port: values.port ? Number(values.port) : saved.port,
    aeTitle: values.aet ?? saved.aeTitle,
    allowedCallingAeTitles: values.allow
      ? values.allow
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : saved.allowedCallingAeTitles,
  });
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
  const settings = parsed.data;
  if (settings.allowedCallingAeTitles.length === 0)
    stderr('warning: no calling AE title is allowed (--allow AE,...): every association will be rejected');
  await backend.pacs.startListener(settings);
  stderr(
    `listening on port ${settings.port} as ${settings.aeTitle}; accepting ${settings.allowedCallingAeTitles.join(', ') || 'nobody'}; Ctrl-C stops`,
  );
  const unsubscribe = backend.subscribe(API_EVENTS.dicomReceived, (event) => {
    if (json) stdout(JSON.stringify(event));
    else
      stdout(
        `${event.callingAeTitle}: ${event.sopInstanceUid}: ${event.outcome}${event.reason ? ` (${event.reason})` : ''}${event.studyId ? ` study ${event.studyId}` : ''}`,
      );
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  unsubscribe();
  await backend.pacs.stopListener();
  return 0;
};
