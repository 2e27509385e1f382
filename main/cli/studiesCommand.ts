import type { Command } from './mammo.js';
import { parseCommandArgs } from './parseCommandArgs.js';

/** `mammo studies [--json]`: the worklist, newest first. */
export const studiesCommand: Command = async ({ backend, args, json, stdout }) => {
  // Nothing but its flags: an unknown option is refused, not silently ignored.
  parseCommandArgs({ args, options: { json: { type: 'boolean' }, workspace: { type: 'string' } } });
  const studies = await backend.listStudies();
  if (json) {
    stdout(JSON.stringify(studies));
    return 0;
  }
  if (studies.length === 0) {
    stdout('no studies in the workspace');
    return 0;
  }
  stdout(['ID', 'PATIENT', 'DATE', 'SOURCE', 'IMAGES', 'VIEWS'].join('\t'));
  for (const s of studies) {
    stdout([s.id, s.patientId, s.studyDate ?? '-', s.source, s.imageCount, s.views.join(' ')].join('\t'));
  }
  return 0;
};
