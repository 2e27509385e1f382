import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { PredictionRepository } from '../../main/db/PredictionRepository.js';
import { estimateBreastGeometry, locateFinding } from '../../main/reports/findingLocation.js';
import { packBits, unpackBits } from '../../main/reports/dicom/segmentation.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

function dciodvfyErrors(file: string): string[] {
  const run = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.startsWith('Error'));
}

/** A 200x160 "breast": bright half-ellipse against the left edge, dark background. */
function breastPixels(rows: number, columns: number): number[] {
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) values.push((c / 120) ** 2 + ((r - 100) / 90) ** 2 < 1 ? 3000 : 40);
  }
  return values;
}

describe('finding location (one view)', () => {
  const rows = 200;
  const columns = 160;
  const display = Uint8Array.from(breastPixels(rows, columns), (v) => (v > 1000 ? 200 : 0));
  const geometry = estimateBreastGeometry(display, rows, columns);

  it('finds the chest wall on the bright side and the nipple at the farthest point', () => {
    expect(geometry.chestWall).toBe('left');
    expect(geometry.nippleRow).toBeGreaterThan(90);
    expect(geometry.nippleRow).toBeLessThan(110);
    expect(geometry.nippleColumn).toBeGreaterThan(110);
  });

  it('gives the clock hour of the view axis, the half and the depth third', () => {
    // CC: rows run lateral (top) to medial; right lateral is 9 o'clock, left lateral 3 o'clock.
    expect(locateFinding(geometry, { row: 40, column: 100 }, 'R', 'CC')).toEqual({
      clock: 9,
      region: 'outer',
      depth: 'anterior',
    });
    expect(locateFinding(geometry, { row: 40, column: 100 }, 'L', 'CC')).toEqual({
      clock: 3,
      region: 'outer',
      depth: 'anterior',
    });
    expect(locateFinding(geometry, { row: 160, column: 60 }, 'R', 'CC')).toEqual({
      clock: 3,
      region: 'inner',
      depth: 'middle',
    });
    // MLO: rows run superior to inferior.
    expect(locateFinding(geometry, { row: 170, column: 20 }, 'L', 'MLO')).toEqual({
      clock: 6,
      region: 'lower',
      depth: 'posterior',
    });
    expect(locateFinding(geometry, { row: 30, column: 20 }, 'L', 'MLO')).toEqual({
      clock: 12,
      region: 'upper',
      depth: 'posterior',
    });
    // On the nipple axis: central, retroareolar near the nipple.
    expect(locateFinding(geometry, { row: 100, column: 110 }, 'R', 'MLO')).toEqual({
      clock: null,
      region: 'retroareolar',
      depth: 'anterior',
    });
    expect(locateFinding(geometry, { row: 100, column: 30 }, 'R', 'CC')).toEqual({
      clock: null,
      region: 'central',
      depth: 'posterior',
    });
  });
});

describe('SEG bit packing', () => {
  it('packs the first pixel into the lowest bit and round-trips any length', () => {
    const mask = Uint8Array.from({ length: 21 }, (_, i) => (i % 3 === 0 ? 255 : 0));
    const packed = packBits(mask);
    expect(packed.length % 2).toBe(0);
    expect(packed[0]).toBe(0b01001001);
    expect(Array.from(unpackBits(packed, 21))).toEqual(Array.from(mask));
    expect(Array.from(unpackBits(packed, 20, 1))).toEqual(Array.from(mask.subarray(1)));
  });
});

describe('exports of a DICOM study', () => {
  const tempDir = useTempDir('mammo-dicom-exports-');

  it('copies the identity of the source into SEG and SR, passes dciodvfy, and re-imports the SEG', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'models'));
    mkdirSync(join(root, 'in'));
    const rows = 200;
    const columns = 160;
    const studyUid = testUid();
    const sopUid = testUid();
    writeFileSync(
      join(root, 'in', 'rcc.dcm'),
      writeSyntheticDicom({
        rows,
        columns,
        bitsAllocated: 16,
        bitsStored: 12,
        pixels: breastPixels(rows, columns),
        patientName: 'DOE^JANE',
        patientId: 'PID-42',
        studyInstanceUid: studyUid,
        sopInstanceUid: sopUid,
        accessionNumber: 'ACC7',
        imageLaterality: 'R',
        viewPosition: 'CC',
        pixelSpacing: [0.1, 0.1],
        windowCenter: 1500,
        windowWidth: 3000,
        extra: {
          FrameOfReferenceUID: testUid(),
          PatientOrientation: ['A', 'L'],
          BurnedInAnnotation: 'NO',
          StudyID: 'S1',
        },
      }),
    );
    const backend = MammoBackend.open(join(root, 'ws'), { shippedModelsDir: join(root, 'models') });
    try {
      const { studies } = await backend.importFiles({ paths: [join(root, 'in')], format: 'dicom' });
      const studyId = studies[0]!.id;
      const image = (await backend.getStudy({ studyId })).images[0]!;
      const mask = new Uint8Array(rows * columns);
      for (let r = 30; r < 50; r++) for (let c = 80; c < 100; c++) mask[r * columns + c] = 255;
      await backend.saveAnnotation({
        imageId: image.id,
        maskPng: Buffer.from(
          encode({ width: columns, height: rows, data: mask, channels: 1, depth: 8 }),
        ).toString('base64'),
        author: 'Reader One',
        // The reader outlined the 20 x 20 px square it painted (0.1 mm pixels: 2 mm).
        findings: {
          decisions: [],
          added: [
            {
              type: 'mass',
              centroidRow: 40,
              centroidColumn: 90,
              extent: { top: 30, left: 80, bottom: 50, right: 100 },
            },
          ],
        },
      });
      // Before any report is saved, the JSON holds the pre-filled findings and says so.
      const preview = await backend.exportStudyTo(studyId, 'json', join(root, 'preview.json'));
      expect(preview.notes.join(' ')).toMatch(/no report was saved/);
      expect(JSON.parse(readFileSync(join(root, 'preview.json'), 'utf8'))).toMatchObject({
        report: null,
        patient: { patientId: 'PID-42', name: 'DOE^JANE' },
        findings: [{ source: 'reader', type: 'mass' }],
      });
      const report = await backend.startReport({ studyId, reader: 'Reader One' });
      expect(report.findings).toEqual([
        expect.objectContaining({
          source: 'reader',
          laterality: 'R',
          view: 'CC',
          type: 'mass',
          clock: 9,
          region: 'outer',
          depth: 'anterior',
          sizeMm: 2,
        }),
      ]);

      const seg = (await backend.exportStudyTo(studyId, 'seg', join(root, 'seg'))).files[0]!;
      const sr = join(root, 'sr.dcm');
      await expect(backend.exportStudyTo(studyId, 'sr', sr)).rejects.toThrow(
        `${sr}: no image of the study has an AI prediction`,
      );
      new PredictionRepository(backend.workspace.db).save({
        imageId: image.id,
        modelId: 'test-model',
        backend: 'cpu',
        createdAt: new Date().toISOString(),
        imageScore: 0.7,
        uncertainty: 0.2,
        findingThreshold: 0.4,
        findings: [
          {
            index: 1,
            centroidRow: 40,
            centroidColumn: 90,
            bounds: { top: 30, left: 80, bottom: 49, right: 99 },
            areaPixels: 400,
            areaMm2: 4,
            maxProbability: 0.7,
            meanProbability: 0.6,
          },
        ],
        mapPath: 'predictions/none.png',
        rows,
        columns,
        spacingAssumed: false,
        timingsMs: { decode: 0, inference: 0, total: 0 },
      });
      expect((await backend.exportStudyTo(studyId, 'sr', sr)).notes).toEqual([]);
      for (const file of [seg, sr]) {
        expect(dciodvfyErrors(file), file).toEqual([]);
        const dump = execFileSync('dcmdump', [file], { encoding: 'utf8' });
        for (const value of ['DOE^JANE', 'PID-42', studyUid, sopUid, 'ACC7', 'S1'])
          expect(dump, `${file} ${value}`).toContain(value);
      }
      expect(execFileSync('dcmdump', [seg], { encoding: 'utf8' })).toContain('A\\L');
      expect(spawnSync('dsrdump', [sr]).status).toBe(0);

      // A fresh workspace with the image: the SEG comes back as its first annotation, mask intact.
      const other = MammoBackend.open(join(root, 'ws2'), { shippedModelsDir: join(root, 'models') });
      try {
        await other.importFiles({ paths: [join(root, 'in')], format: 'dicom' });
        const result = await other.importFiles({ paths: [seg], format: 'dicom' });
        expect(result.errors).toEqual([]);
        const otherImage = (await other.getStudy({ studyId: result.studies[0]!.id })).images[0]!;
        const [annotation] = await other.listAnnotations({ imageId: otherImage.id });
        expect(annotation).toMatchObject({ version: 1, author: 'Reader One', positivePixels: 400 });
      } finally {
        await other.close();
      }

      // A SEG whose image is not in the workspace is refused by name.
      const empty = MammoBackend.open(join(root, 'ws3'), { shippedModelsDir: join(root, 'models') });
      try {
        const refused = await empty.importFiles({ paths: [seg], format: 'dicom' });
        expect(refused.errors).toEqual([
          { file: seg, reason: expect.stringMatching(/DICOM SEG: .*not in the workspace/) },
        ]);
      } finally {
        await empty.close();
      }

      const training = await backend.exportStudyTo(studyId, 'training', join(root, 'share'));
      const manifest = readFileSync(join(root, 'share', 'manifest.json'), 'utf8');
      for (const secret of ['DOE', 'PID-42', studyUid, sopUid, 'ACC7', 'Reader One'])
        expect(manifest).not.toContain(secret);
      expect(training.notes.join(' ')).not.toMatch(/burned-in/);
    } finally {
      await backend.close();
    }
  });
});
