import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

/** A 200x160 right breast on a CC view: a bright half-ellipse against the left edge, nipple at row 100. */
function breastPixels(rows: number, columns: number): number[] {
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) values.push((c / 120) ** 2 + ((r - 100) / 90) ** 2 < 1 ? 3000 : 40);
  }
  return values;
}

describe('report location follows the DICOM PatientOrientation of a CC view', () => {
  const tempDir = useTempDir('mammo-finding-orientation-');

  it("puts a finding above the nipple lateral (9 o'clock, right breast) when the image runs medially downward, medial (3) when laterally", async () => {
    const root = tempDir();
    mkdirSync(join(root, 'models'));
    // DICOM PS3.3 C.7.6.1.1.1: the second value is the direction down the image's columns. A right
    // CC hung in the usual way runs toward the patient's left (medial); labelled 'R', lateral.
    const expected: Record<string, { clock: number; region: string }> = {
      L: { clock: 9, region: 'outer' },
      R: { clock: 3, region: 'inner' },
    };
    const rows = 200;
    const columns = 160;
    for (const columnDirection of Object.keys(expected)) {
      const folder = join(root, `in-${columnDirection}`);
      mkdirSync(folder);
      writeFileSync(
        join(folder, 'rcc.dcm'),
        writeSyntheticDicom({
          rows,
          columns,
          bitsAllocated: 16,
          bitsStored: 12,
          pixels: breastPixels(rows, columns),
          patientId: `PID-${columnDirection}`,
          studyInstanceUid: testUid(),
          sopInstanceUid: testUid(),
          imageLaterality: 'R',
          viewPosition: 'CC',
          pixelSpacing: [0.1, 0.1],
          windowCenter: 1500,
          windowWidth: 3000,
          extra: { PatientOrientation: ['A', columnDirection] },
        }),
      );
    }
    const backend = MammoBackend.open(join(root, 'ws'), { shippedModelsDir: join(root, 'models') });
    try {
      for (const [columnDirection, want] of Object.entries(expected)) {
        const { studies } = await backend.importFiles({
          paths: [join(root, `in-${columnDirection}`)],
          format: 'dicom',
        });
        const studyId = studies[0]!.id;
        const image = (await backend.getStudy({ studyId })).images[0]!;
        const mask = new Uint8Array(rows * columns);
        await backend.saveAnnotation({
          imageId: image.id,
          maskPng: Buffer.from(
            encode({ width: columns, height: rows, data: mask, channels: 1, depth: 8 }),
          ).toString('base64'),
          author: 'Reader One',
          // 60 rows above the nipple row (100): well outside the central band.
          findings: { decisions: [], added: [{ type: 'mass', centroidRow: 40, centroidColumn: 90 }] },
        });
        const report = await backend.startReport({ studyId, reader: 'Reader One' });
        expect(report.findings, `PatientOrientation A\\${columnDirection}`).toEqual([
          expect.objectContaining({ source: 'reader', laterality: 'R', view: 'CC', ...want }),
        ]);
      }
    } finally {
      backend.close();
    }
  });
});
