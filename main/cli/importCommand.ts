import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_EVENTS, API_METHODS } from '../api/contract.js';
import type { Command } from './mammo.js';
import { progressLine } from './progressLine.js';
import { UsageError } from './UsageError.js';

/**
 * `mammo import PATH... [--format dicom|mias|cbis-ddsm] [--json]`. Exit 0 when every DICOM file went in (files
 * that are not DICOM at all, such as a README beside the images, are listed but fail nothing), 1
 * when a file was refused or nothing found was DICOM.
 */
export const importCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string', default: 'dicom' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
    allowPositionals: true,
  });
  const parsed = API_METHODS.importFiles.input.safeParse({ paths: positionals, format: values.format });
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));

  const progress = progressLine('importing');
  const building = progressLine('training samples');
  const unsubscribes = [
    backend.subscribe(API_EVENTS.importProgress, ({ done, total }) => {
      if (!json) progress.update(done, total);
    }),
    backend.subscribe(API_EVENTS.trainingSetProgress, ({ done, total }) => {
      if (json) return;
      progress.end();
      building.update(done, total);
    }),
  ];
  const result = await backend
    .importFiles(parsed.data)
    .finally(() => unsubscribes.forEach((unsubscribe) => unsubscribe()));
  progress.end();
  building.end();

  const refused = result.errors.filter((error) => !error.notDicom);
  const notDicom = result.errors.filter((error) => error.notDicom);
  if (json) {
    stdout(JSON.stringify(result));
  } else {
    stdout(
      `imported ${result.imported}, skipped ${result.skipped} already present, ${refused.length} errors` +
        (notDicom.length ? `, ${notDicom.length} not DICOM (left out)` : ''),
    );
    for (const study of result.studies) {
      stdout(`  study ${study.id}  ${study.patientId}  ${study.views.join(' ') || '(no display images)'}`);
    }
    const built = result.trainingSet;
    if (built) {
      stdout(
        `training samples from the ground truth: ${built.added} added, ${built.skipped} images already done, ${built.excluded.length} images left out`,
      );
      for (const left of built.excluded)
        stdout(`  left out: ${left.image} (image ${left.imageId}): ${left.reason}`);
    }
    for (const error of refused) stderr(`error: ${error.file}: ${error.reason}`);
    for (const error of notDicom) stderr(`not DICOM, left out: ${error.file}`);
    if (result.suggestedFormat === 'mias')
      stderr(
        `hint: these look like mini-MIAS images; import their folder with \`mammo import --format mias ${positionals.join(' ')}\``,
      );
    for (const error of built?.errors ?? [])
      stderr(`error: training sample from ${error.file}: ${error.reason}`);
  }
  const nothingWasDicom = result.imported + result.skipped === 0 && notDicom.length > 0;
  return refused.length > 0 || nothingWasDicom || (result.trainingSet?.errors.length ?? 0) > 0 ? 1 : 0;
};
