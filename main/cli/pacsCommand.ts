import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_EVENTS, API_METHODS } from '../api/contract.js';
import type { PacsPush, PacsPushKind } from '../api/pacs.js';
import type { Command, CommandContext } from './mammo.js';
import { progressLine } from './progressLine.js';
import { UsageError } from './UsageError.js';

/** Validates with the API's schema; a failure is a usage error naming the field. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
  return parsed.data;
}

const COMMON = { json: { type: 'boolean' }, workspace: { type: 'string' } } as const;

/** A secret read from a file (so it never appears in the shell history or `ps`); one trailing newline dropped. */
function readSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function addNode({ backend, args, json, stdout }: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...COMMON,
      url: { type: 'string' },
      aet: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      'password-file': { type: 'string' },
      'token-file': { type: 'string' },
    },
    allowPositionals: true,
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('give one node name');
  if (values['password-file'] && values['token-file'])
    throw new UsageError('give --password-file (basic auth) or --token-file (bearer), not both');
  const auth = values['token-file'] ? 'bearer' : values.user ? 'basic' : 'none';
  const secretFile = values['token-file'] ?? values['password-file'];
  const input = parse(API_METHODS.savePacsNode.input, {
    name,
    url: values.url,
    auth,
    ...(values.user ? { username: values.user } : {}),
    ...(secretFile ? { secret: readSecret(secretFile) } : {}),
    ...(values.aet ? { aeTitle: values.aet } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
  });
  return backend.savePacsNode(input).then((node) => {
    stdout(json ? JSON.stringify(node) : `saved PACS node ${node.name} (${node.url}, auth ${node.auth})`);
    return 0;
  });
}

async function listNodes({ backend, json, stdout }: CommandContext): Promise<number> {
  const nodes = await backend.listPacsNodes({});
  if (json) stdout(JSON.stringify(nodes));
  else if (nodes.length === 0) stdout('no PACS nodes; add one with `mammo pacs add NAME --url URL`');
  else {
    stdout(['NAME', 'URL', 'AUTH', 'DIMSE'].join('\t'));
    for (const n of nodes)
      stdout(
        [n.name, n.url, n.auth, n.aeTitle ? `${n.aeTitle}@${n.host ?? '?'}:${n.port ?? '?'}` : '-'].join(
          '\t',
        ),
      );
  }
  return 0;
}

async function removeNode({ backend, args, stdout }: CommandContext): Promise<number> {
  const { positionals } = parseArgs({ args, options: COMMON, allowPositionals: true });
  const input = parse(API_METHODS.removePacsNode.input, { name: positionals[0] });
  await backend.removePacsNode(input);
  stdout(`removed PACS node ${input.name}`);
  return 0;
}

async function testNode({ backend, args, json, stdout }: CommandContext): Promise<number> {
  const { positionals } = parseArgs({ args, options: COMMON, allowPositionals: true });
  const input = parse(API_METHODS.testPacsNode.input, { name: positionals[0] });
  const result = await backend.testPacsNode(input);
  if (json) stdout(JSON.stringify(result));
  else {
    stdout(
      `DICOMweb: ${result.dicomweb.ok ? 'ok' : 'FAILED'} (${result.dicomweb.milliseconds} ms) ${result.dicomweb.message}`,
    );
    if (result.echo)
      stdout(
        `C-ECHO:   ${result.echo.ok ? 'ok' : 'FAILED'} (${result.echo.milliseconds} ms) ${result.echo.message}`,
      );
  }
  return result.dicomweb.ok && (result.echo?.ok ?? true) ? 0 : 1;
}

async function query({ backend, args, json, stdout }: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON,
      node: { type: 'string' },
      patient: { type: 'string' },
      'patient-id': { type: 'string' },
      accession: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      modality: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const input = parse(API_METHODS.queryPacs.input, {
    node: values.node,
    ...(values.patient ? { patientName: values.patient } : {}),
    ...(values['patient-id'] ? { patientId: values['patient-id'] } : {}),
    ...(values.accession ? { accessionNumber: values.accession } : {}),
    ...(values.from ? { from: values.from.replaceAll('-', '') } : {}),
    ...(values.to ? { to: values.to.replaceAll('-', '') } : {}),
    ...(values.modality !== undefined ? { modality: values.modality.toUpperCase() } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  });
  const studies = await backend.queryPacs(input);
  if (json) stdout(JSON.stringify(studies));
  else if (studies.length === 0) stdout('no matching studies');
  else {
    stdout(
      ['STUDY INSTANCE UID', 'PATIENT ID', 'NAME', 'DATE', 'ACCESSION', 'MODALITIES', 'HERE'].join('\t'),
    );
    for (const s of studies)
      stdout(
        [
          s.studyInstanceUid,
          s.patientId ?? '-',
          s.patientName ?? '-',
          s.studyDate ?? '-',
          s.accessionNumber ?? '-',
          s.modalities.join(','),
          s.localStudyId ? `study ${s.localStudyId}` : '-',
        ].join('\t'),
      );
  }
  return 0;
}

async function retrieve({ backend, args, json, stdout, stderr }: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON, node: { type: 'string' } },
    allowPositionals: true,
  });
  const input = parse(API_METHODS.retrievePacsStudy.input, {
    node: values.node,
    studyInstanceUid: positionals[0],
  });
  const progress = progressLine('retrieving');
  const unsubscribe = backend.subscribe(API_EVENTS.pacsRetrieveProgress, ({ done, total }) => {
    if (!json) progress.update(done, total);
  });
  // Ctrl-C cancels between (and inside) instance fetches; what was imported stays complete.
  const cancel = (): void => void backend.cancelPacsRetrieve({ studyInstanceUid: input.studyInstanceUid });
  process.once('SIGINT', cancel);
  const result = await backend.retrievePacsStudy(input).finally(() => {
    unsubscribe();
    process.off('SIGINT', cancel);
  });
  progress.end();
  if (json) stdout(JSON.stringify(result));
  else {
    stdout(
      `imported ${result.imported}, skipped ${result.skipped} already present, ${result.errors.length} errors` +
        `${result.cancelled ? ' (cancelled: retrieve again to resume)' : ''}`,
    );
    for (const study of result.studies)
      stdout(`  study ${study.id}  ${study.patientId}  ${study.views.join(' ') || '(no display images)'}`);
    for (const note of result.notes) stdout(`  note: ${note}`);
    for (const error of result.errors) stderr(`error: ${error.file}: ${error.reason}`);
  }
  return result.errors.length > 0 || result.cancelled ? 1 : 0;
}

const SEND_FLAGS: readonly PacsPushKind[] = ['seg', 'sr', 'pdf'];

function describePush(push: PacsPush): string {
  return `push ${push.id}: ${push.kind} to ${push.node}: ${push.status}${push.error ? ` (${push.error})` : ''}`;
}

async function send({ backend, args, json, stdout, stderr }: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...COMMON,
      node: { type: 'string' },
      seg: { type: 'boolean' },
      sr: { type: 'boolean' },
      pdf: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const kinds = SEND_FLAGS.filter((kind) => values[kind]);
  if (kinds.length === 0) throw new UsageError('give at least one of --seg, --sr, --pdf');
  const studyId = Number(String(positionals[0] ?? '').replace(/^study:/, ''));
  const pushes: PacsPush[] = [];
  let failed = 0;
  for (const kind of kinds) {
    const input = parse(API_METHODS.sendToPacs.input, { studyId, node: values.node, kind });
    try {
      const push = await backend.sendToPacs(input);
      pushes.push(push);
      if (push.status !== 'sent') failed++;
      if (!json) (push.status === 'sent' ? stdout : stderr)(describePush(push));
    } catch (error) {
      failed++;
      stderr(`error: ${kind}: ${(error as Error).message}`);
    }
  }
  if (json) stdout(JSON.stringify(pushes));
  return failed ? 1 : 0;
}

async function retry({ backend, args, json, stdout, stderr }: CommandContext): Promise<number> {
  const { positionals } = parseArgs({ args, options: COMMON, allowPositionals: true });
  const input = parse(API_METHODS.retryPacsPush.input, { pushId: Number(positionals[0]) });
  const push = await backend.retryPacsPush(input);
  if (json) stdout(JSON.stringify(push));
  else (push.status === 'sent' ? stdout : stderr)(describePush(push));
  return push.status === 'sent' ? 0 : 1;
}

const SUBCOMMANDS: Readonly<Record<string, (context: CommandContext) => Promise<number>>> = {
  add: addNode,
  list: listNodes,
  remove: removeNode,
  test: testNode,
  query,
  retrieve,
  send,
  retry,
};

/**
 * `mammo pacs add|list|remove|test|query|retrieve|send|retry ...`: PACS nodes, DICOMweb
 * query/retrieve and store-back. Exit 0 on success, 1 when something failed, 2 on bad usage.
 */
export const pacsCommand: Command = async (context) => {
  const [sub, ...rest] = context.args;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) throw new UsageError(`pacs: give one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
  return run({ ...context, args: rest });
};
