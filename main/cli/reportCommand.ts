import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_METHODS } from '../api/contract.js';
import type { Report } from '../api/reports.js';
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
  const parse = <T>(schema: z.ZodType<T>, input: unknown): T => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
    return parsed.data;
  };
  if (!values.reader) throw new UsageError('--reader NAME is required');
  let report: Report;
  try {
    report = await applyReport(backend, studyId, { ...values, reader: values.reader }, parse);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    stderr(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
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
