import { resolve } from 'node:path';
import { z } from 'zod';
import { API_METHODS } from '../api/contract.js';
import type { ExportKind, ExportResult } from '../api/reports.js';
import type { Command } from './mammo.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** Command-line flag of each export, in the order they run. */
const FLAGS: readonly (readonly [string, ExportKind])[] = [
  ['json', 'json'],
  ['pdf', 'pdf'],
  ['seg', 'seg'],
  ['fractional-seg', 'fractional-seg'],
  ['sr', 'sr'],
  ['training', 'training'],
];

/**
 * `mammo export STUDY --pdf|--json|--sr FILE --seg|--fractional-seg|--training FOLDER`: one or
 * more exports of a study. Each is written atomically; a failed one is reported with its path and
 * the others still run. Exit 0 when all succeeded, 1 when any failed, 2 on bad usage.
 */
export const exportCommand: Command = async ({ backend, args, stdout, stderr }) => {
  const { values, positionals } = parseCommandArgs({
    args,
    options: {
      ...Object.fromEntries(FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
      workspace: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [study, ...extra] = positionals;
  if (!study || extra.length) throw new UsageError('give one study id');
  const requested = FLAGS.filter(([flag]) => typeof values[flag as keyof typeof values] === 'string');
  if (requested.length === 0)
    throw new UsageError('give at least one of --pdf, --json, --seg, --fractional-seg, --sr, --training');
  const inputs = requested.map(([flag, kind]) => {
    const parsed = API_METHODS.exportStudy.input.safeParse({
      studyId: Number(study.replace(/^study:/, '')),
      kind,
    });
    if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
    return { ...parsed.data, outPath: resolve(String(values[flag as keyof typeof values])) };
  });
  let failed = 0;
  for (const input of inputs) {
    let result: ExportResult;
    try {
      result = await backend.exportStudyTo(input.studyId, input.kind, input.outPath);
    } catch (error) {
      failed++;
      stderr(`error: ${input.kind}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    stdout(`${result.kind}: wrote ${result.files.length} file${result.files.length === 1 ? '' : 's'}`);
    for (const file of result.files) stdout(`  ${file}`);
    for (const note of result.notes) stdout(`  note: ${note}`);
  }
  return failed ? 1 : 0;
};
