import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { API_EVENTS } from '../../main/api/contract.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { TCIA_CASE_HEADER, writeTciaView } from '../helpers/tciaMiniature.js';
import { inFreshProcess, round, trackPeakRss } from './benchUtil.js';

/** A CBIS-DDSM film as TCIA publishes it: about 3,000 x 4,800 px, 16-bit. */
const FILM = { rows: 4800, columns: 3000 };
const FILMS = 3;

/**
 * CBIS-DDSM import in the official TCIA layout, on a generated miniature of full-size films (a
 * 16-bit DICOM and a film-sized ROI mask each), through the back end as the server imports:
 * seconds per image for the import and for building the training samples, the process's peak RSS
 * (the kernel's VmHWM, worker threads included), the event loop's longest block meanwhile and how
 * long the import kept the calling thread busy per image (what is left of an image's work there).
 */
export async function cbisImportBench(): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'mammo-bench-tcia-'));
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    // Written by another process, so that its memory is not this one's peak.
    await inFreshProcess(import.meta.url, 'writeTciaFilms', root, FILMS);
    const backend = MammoBackend.open(workspace);
    let importedAt = Number.NaN;
    let importBusy: EventLoopUtilization | undefined;
    const unsubscribe = backend.subscribe(API_EVENTS.importProgress, ({ done, total }) => {
      if (done !== total) return;
      importedAt = performance.now();
      importBusy = performance.eventLoopUtilization(loopAtStart);
    });
    const peakRss = trackPeakRss();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const loopAtStart = performance.eventLoopUtilization();
    const start = performance.now();
    const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
    const end = performance.now();
    delay.disable();
    const peakRssMB = peakRss();
    unsubscribe();
    await backend.close();
    if (result.errors.length) throw new Error(`import refused: ${JSON.stringify(result.errors)}`);
    return {
      films: result.imported,
      filmSize: `${FILM.columns}x${FILM.rows} 16-bit, mask the same size`,
      seconds: round((end - start) / 1000, 2),
      importSecondsPerImage: round((importedAt - start) / 1000 / FILMS, 2),
      samplesSecondsPerImage: round((end - importedAt) / 1000 / FILMS, 2),
      importThreadBusyMsPerImage: round((importBusy?.active ?? Number.NaN) / FILMS),
      trainingSamples: result.trainingSet?.added ?? 0,
      peakRssMB,
      loopDelayMaxMs: round(delay.max / 1e6),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** `films` views of one patient each, an elliptic mass of about 20 x 28 mm (at 0.046 mm) in each. */
export function writeTciaFilms(root: string, films: number): void {
  const { rows, columns } = FILM;
  const mask = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      if (((c - 1500) / 220) ** 2 + ((r - 2400) / 300) ** 2 < 1) mask[r * columns + c] = 255;
  const caseRows = Array.from({ length: films }, (_, i) =>
    writeTciaView(
      root,
      'CBIS-DDSM',
      'Training',
      `P_${String(i + 1).padStart(5, '0')}`,
      'LEFT',
      'CC',
      [{ id: 1, mask, pathology: 'MALIGNANT' }],
      FILM,
    ),
  ).flat();
  writeFileSync(
    join(root, 'mass_case_description_train_set.csv'),
    [TCIA_CASE_HEADER, ...caseRows].join('\n'),
  );
}
