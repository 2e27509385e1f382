/**
 * No file can stall the server: while `importFiles` takes in CBIS-DDSM, the thread that calls it
 * (a server's) never blocks for long. Decoding and rescaling the COCO copies, and reading and
 * PNG-encoding a film-sized ROI mask of the TCIA layout, run in the decode worker; on the calling
 * thread they held it for seconds per image. The longest block is read from the event loop's own
 * delay histogram (perf_hooks), as the API latency bench reads it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { StudyDetail } from '../../main/api/domain.js';
import type { ImportResult } from '../../main/api/importing.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { encodeJpegBaseline } from '../helpers/encoders.js';
import { useTempDir } from '../helpers/tempDir.js';
import { TCIA_CASE_HEADER, writeTciaView } from '../helpers/tciaMiniature.js';

/**
 * The longest the calling thread may be held. What is left on it (hashing a few MB, a database
 * transaction) measured 35-82 ms on two cores shared with a training run (load 8); with the pixel
 * work on this thread the same test measured 1,700-2,000 ms for the COCO copies and 530 ms for this
 * mask (870 ms for a full-size one).
 */
const MAX_BLOCK_MS = 300;

/** A copy four times the published 800x800: 2,720 x 1,600 square pixels to interpolate and deflate. */
const COPY_SIDE = 1600;
const COPIES = ['00001_LEFT_CC.jpg', '00002_RIGHT_MLO.jpg'];
/** A ROI mask and its full image half a CBIS-DDSM film's size (3,000 x 4,800). */
const FILM = { rows: 3000, columns: 2400 };

/** Film-like texture, so that the PNG encoder has real work, as it has on scanned film. */
function texturedPixels(rows: number, columns: number): Uint8Array {
  return new Uint8Array(rows * columns).map((_, i) => {
    const row = Math.floor(i / columns);
    const column = i % columns;
    return (
      (60 + column / 12 + 40 * Math.sin(row / 9) * Math.cos(column / 13) + ((i * 2654435761) >>> 27)) & 255
    );
  });
}

async function writeCocoFolder(root: string): Promise<void> {
  const folder = join(root, 'train');
  mkdirSync(folder, { recursive: true });
  const jpeg = await encodeJpegBaseline({
    width: COPY_SIDE,
    height: COPY_SIDE,
    bitsPerSample: 8,
    values: texturedPixels(COPY_SIDE, COPY_SIDE),
  });
  for (const name of COPIES) writeFileSync(join(folder, name), jpeg);
  const coco = {
    categories: [{ id: 0, name: 'mass' }],
    images: COPIES.map((file_name, id) => ({ id, file_name, width: COPY_SIDE, height: COPY_SIDE })),
    annotations: COPIES.map((_, id) => ({ id, image_id: id, category_id: 0, bbox: [600, 700, 120, 90] })),
  };
  writeFileSync(join(folder, '_annotations.coco.json'), JSON.stringify(coco));
  const rows = COPIES.map((name) => {
    const [patient, side, view] = name.replace('.jpg', '').split('_');
    return `P_${patient},2,${side},${view},1,mass,OVAL,CIRCUMSCRIBED,4,MALIGNANT,3,x.dcm,y.dcm,z.dcm`;
  });
  writeFileSync(join(root, 'mass_case_description_train_set.csv'), [TCIA_CASE_HEADER, ...rows].join('\n'));
}

function writeTciaFolder(root: string): void {
  const { rows, columns } = FILM;
  const mask = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      if (((c - 700) / 180) ** 2 + ((r - 1300) / 260) ** 2 < 1) mask[r * columns + c] = 255;
  const caseRows = writeTciaView(
    root,
    'CBIS-DDSM',
    'Training',
    'P_00007',
    'LEFT',
    'CC',
    [{ id: 1, mask, pathology: 'MALIGNANT' }],
    FILM,
  );
  writeFileSync(
    join(root, 'mass_case_description_train_set.csv'),
    [TCIA_CASE_HEADER, ...caseRows].join('\n'),
  );
}

/** Imports one folder through the back end, as the server does, and reports the longest block. */
async function importMeasured(
  workspace: string,
  folder: string,
): Promise<{ result: ImportResult; study: StudyDetail; maxBlockMs: number }> {
  const backend = MammoBackend.open(workspace);
  try {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const result = await backend.importFiles({ paths: [folder], format: 'cbis-ddsm' });
    delay.disable();
    const study = await backend.getStudy({ studyId: result.studies[0]!.id });
    return { result, study, maxBlockMs: delay.max / 1e6 };
  } finally {
    await backend.close();
  }
}

describe('CBIS-DDSM import keeps the calling thread free', () => {
  const tempDir = useTempDir();

  it('rescales and encodes large COCO copies without blocking the event loop', async () => {
    const root = tempDir();
    await writeCocoFolder(root);
    const { result, study, maxBlockMs } = await importMeasured(tempDir(), root);
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(COPIES.length);
    expect(study.images[0]).toMatchObject({ rows: Math.round(COPY_SIDE * 1.7), columns: COPY_SIDE });
    expect(maxBlockMs).toBeLessThan(MAX_BLOCK_MS);
  });

  it('reads and encodes a large TCIA ROI mask without blocking the event loop', async () => {
    const root = tempDir();
    writeTciaFolder(root);
    const { result, study, maxBlockMs } = await importMeasured(tempDir(), root);
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(1);
    expect(study.images[0]).toMatchObject(FILM);
    // The ellipse written: columns 700 +- 179, rows 1300 +- 259.
    expect(study.groundTruth[0]!.box).toEqual({ left: 521, top: 1041, width: 359, height: 519 });
    expect(maxBlockMs).toBeLessThan(MAX_BLOCK_MS);
  });
});
