import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { API_METHODS } from '../api/contract.js';
import { BIRADS_CATEGORIES, DENSITY_CATEGORIES, type Report } from '../api/reports.js';
import type { Command } from './mammo.js';
import { UsageError } from './UsageError.js';

/**
 * `mammo report STUDY --reader NAME [--birads X] [--density a-d] [--impression TEXT] [--finalize]
 * [--amend REASON] [--json]`: starts (or reopens) the study's draft pre-filled from its findings,
 * applies the edits, and optionally finalises it. `--amend` opens an amendment of the final report.
 */
export const reportCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      reader: { type: 'string' },
      birads: { type: 'string' },
      density: { type: 'string' },
      impression: { type: 'string' },
      finalize: { type: 'boolean' },
      amend: { type: 'string' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
    allowPositionals: true,
  });
  const studyId = Number((positionals[0] ?? '').replace(/^study:/, ''));
  if (positionals.length !== 1) throw new UsageError('give one study id');
  if (!values.reader) throw new UsageError('--reader NAME is required');
  // A wrong value is the user's typo, not a misuse of the command: one line naming it, no usage text.
  const invalid =
    invalidValue('--birads', values.birads?.toUpperCase(), BIRADS_CATEGORIES) ??
    invalidValue('--density', values.density?.toLowerCase(), DENSITY_CATEGORIES);
  if (invalid) {
    stderr(`mammo report: ${invalid}`);
    return 2;
  }
  const parse = <T>(schema: z.ZodType<T>, input: unknown): T => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new InvalidValue(oneLine(parsed.error));
    return parsed.data;
  };
  let report: Report;
  try {
    report = await applyReport(backend, studyId, { ...values, reader: values.reader }, parse);
  } catch (error) {
    stderr(`mammo report: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof InvalidValue ? 2 : 1;
  }
  if (json) stdout(JSON.stringify(report));
  else {
    stdout(`report ${report.id}: study ${report.studyId} version ${report.version} ${report.status}`);
    stdout(
      `  BI-RADS ${report.biRads ?? '-'}  density ${report.density ?? '-'}  reader ${report.reader}  findings ${report.findings.length}`,
    );
  }
  return 0;
};

/** An option whose value the API refuses (exit 2, one line). */
class InvalidValue extends Error {}

function invalidValue(flag: string, value: string | undefined, allowed: readonly string[]): string | null {
  if (value === undefined || allowed.includes(value)) return null;
  return `${flag} '${value}' is not one of ${allowed.join(', ')}`;
}

/** Zod's issues on one line: `path: message; path: message`. */
function oneLine(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

interface ReportOptions {
  reader?: string | undefined;
  birads?: string | undefined;
  density?: string | undefined;
  impression?: string | undefined;
  finalize?: boolean | undefined;
  amend?: string | undefined;
}

async function applyReport(
  backend: Parameters<Command>[0]['backend'],
  studyId: number,
  values: ReportOptions & { reader: string },
  parse: <T>(schema: z.ZodType<T>, input: unknown) => T,
): Promise<Report> {
  let report: Report;
  if (values.amend !== undefined) {
    const final = (await backend.listReports({ studyId })).find((r) => r.status === 'final');
    if (!final) throw new Error(`study ${studyId} has no final report to amend`);
    report = await backend.amendReport(
      parse(API_METHODS.amendReport.input, {
        reportId: final.id,
        reader: values.reader,
        reason: values.amend,
      }),
    );
  } else {
    report = await backend.startReport(
      parse(API_METHODS.startReport.input, { studyId, reader: values.reader }),
    );
  }
  const edit = {
    reportId: report.id,
    ...(values.birads !== undefined ? { biRads: values.birads.toUpperCase() } : {}),
    ...(values.density !== undefined ? { density: values.density.toLowerCase() } : {}),
    ...(values.impression !== undefined ? { impression: values.impression } : {}),
    reader: values.reader,
  };
  report = await backend.updateReport(parse(API_METHODS.updateReport.input, edit));
  if (values.finalize) report = await backend.finalizeReport({ reportId: report.id });
  return report;
}
