/**
 * `mammo import --format cbis-ddsm` on the 800x800 COCO layout of CBIS-DDSM, on a miniature of it
 * generated here (grey JPEGs, `_annotations.coco.json`, the case tables beside the split folders).
 * The squash is 1.70 rows per column, so a 60x60 copy is 60 columns x 102 rows of square pixels.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { encodeJpegBaseline } from '../helpers/encoders.js';
import { useTempDir } from '../helpers/tempDir.js';

const SIDE = 60;
const SQUARE_ROWS = 102;
const HEADER =
  'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path';

/** A copy dark above row 30 and bright below: where the edge lands after the rescale is known. */
async function squashedJpeg(): Promise<Uint8Array> {
  const values = new Uint8Array(SIDE * SIDE).map((_, i) => (i < 30 * SIDE ? 40 : 210));
  return encodeJpegBaseline({ width: SIDE, height: SIDE, bitsPerSample: 8, values });
}

interface CocoEntry {
  file: string;
  boxes: [number, number, number, number][];
  /** Listed in the JSON but no file written. */
  noFile?: boolean;
}

async function writeSplit(
  root: string,
  split: 'train' | 'test',
  entries: readonly CocoEntry[],
): Promise<void> {
  const folder = join(root, split);
  mkdirSync(folder, { recursive: true });
  const jpeg = await squashedJpeg();
  let annotationId = 0;
  const coco = {
    categories: [{ id: 0, name: 'mass' }],
    images: entries.map((entry, id) => ({ id, file_name: entry.file, width: SIDE, height: SIDE })),
    annotations: entries.flatMap((entry, id) =>
      entry.boxes.map((bbox) => ({ id: annotationId++, image_id: id, category_id: 0, bbox })),
    ),
  };
  writeFileSync(join(folder, '_annotations.coco.json'), JSON.stringify(coco));
  for (const entry of entries) if (!entry.noFile) writeFileSync(join(folder, entry.file), jpeg);
}

function caseRow(
  patient: string,
  side: 'LEFT' | 'RIGHT',
  view: 'CC' | 'MLO',
  id: number,
  pathology: string,
  density = 2,
  assessment = 4,
  subtlety = 3,
): string {
  return `${patient},${density},${side},${view},${id},mass,OVAL,CIRCUMSCRIBED,${assessment},${pathology},${subtlety},x.dcm,y.dcm,z.dcm`;
}

function writeCases(root: string, split: 'train' | 'test', rows: readonly string[]): void {
  writeFileSync(join(root, `mass_case_description_${split}_set.csv`), [HEADER, ...rows].join('\n'));
}

function storedFiles(workspace: string): string[] {
  try {
    return readdirSync(join(workspace, 'store'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

describe('CBIS-DDSM import, the 800x800 COCO layout', () => {
  const tempDir = useTempDir();

  it('rescales to square pixels, records the spacing as estimated, and turns boxes into ground truth', async () => {
    const root = tempDir();
    await writeSplit(root, 'train', [
      { file: '00001_LEFT_CC.jpg', boxes: [[10, 20, 16, 12]] },
      {
        file: '00002_RIGHT_MLO.jpg',
        boxes: [
          [5, 5, 10, 10],
          [30, 40, 20, 15],
        ],
      },
    ]);
    writeCases(root, 'train', [
      caseRow('P_00001', 'LEFT', 'CC', 1, 'MALIGNANT', 3, 5, 4),
      caseRow('P_00002', 'RIGHT', 'MLO', 1, 'BENIGN'),
      caseRow('P_00002', 'RIGHT', 'MLO', 2, 'MALIGNANT'),
    ]);
    await writeSplit(root, 'test', [{ file: '00003_LEFT_MLO.jpg', boxes: [[20, 20, 10, 10]] }]);
    writeCases(root, 'test', [caseRow('P_00003', 'LEFT', 'MLO', 1, 'BENIGN')]);

    const workspace = tempDir();
    const backend = MammoBackend.open(workspace);
    try {
      const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ imported: 3, skipped: 0 });
      const studyOf = async (patient: string) =>
        backend.getStudy({ studyId: result.studies.find((s) => s.patientId === `CBIS-DDSM-${patient}`)!.id });

      const one = await studyOf('P_00001');
      const image = one.images[0]!;
      expect(image).toMatchObject({
        laterality: 'L',
        view: 'CC',
        columns: SIDE,
        rows: SQUARE_ROWS,
        format: 'png',
        pixelSpacingMm: [0.19, 0.19],
        pixelSpacingSource: 'estimated',
        pixelSpacingNote: expect.stringMatching(
          /^estimated, not measured: .*rows x 1\.70.*0\.19 mm per pixel/,
        ),
      });
      // The stored pixels are stretched by 1.70 down the rows: the edge at row 30 lands at row 51.
      const stored = decodePng(readFileSync(join(workspace, image.path)));
      expect([stored.width, stored.height, stored.channels]).toEqual([SIDE, SQUARE_ROWS, 1]);
      const at = (row: number) => (stored.data as Uint8Array)[row * SIDE + SIDE / 2]!;
      for (const row of [0, 20, 45]) expect(Math.abs(at(row) - 40)).toBeLessThan(6);
      for (const row of [57, 80, SQUARE_ROWS - 1]) expect(Math.abs(at(row) - 210)).toBeLessThan(6);
      const firstBright = Array.from({ length: SQUARE_ROWS }, (_, row) => at(row)).findIndex((v) => v > 125);
      expect(firstBright).toBe(51);

      // The COCO box [10, 20, 16, 12] in the squashed frame: columns as they were, rows x 1.70.
      expect(one.groundTruth).toHaveLength(1);
      const truth = one.groundTruth[0]!;
      expect(truth.box!.left).toBeCloseTo(10, 6);
      expect(truth.box!.width).toBeCloseTo(16, 6);
      expect(truth.box!.top).toBeCloseTo(34, 6);
      expect(truth.box!.height).toBeCloseTo(20.4, 6);
      expect(truth.outlinePath).toBeUndefined();
      expect(truth).toMatchObject({
        abnormalityClass: 'MASS',
        severity: 'M',
        source: 'cbis-ddsm',
        details: {
          author: 'CBIS-DDSM',
          pathology: 'MALIGNANT',
          breastDensity: 3,
          assessment: 5,
          subtlety: 4,
          massShape: 'OVAL',
          massMargins: 'CIRCUMSCRIBED',
          officialSplit: 'train',
        },
      });

      // Two boxes, two rows that disagree on pathology: which box is which is not recorded, so
      // neither gets a pathology; what the rows agree on (density) is kept.
      const two = await studyOf('P_00002');
      expect(two.groundTruth).toHaveLength(2);
      for (const finding of two.groundTruth)
        expect(finding).toMatchObject({
          severity: null,
          details: { pathology: null, breastDensity: 2, assessment: 4 },
        });

      // The official test split is imported, and never becomes a training sample.
      const three = await studyOf('P_00003');
      expect(three.groundTruth[0]!.details?.officialSplit).toBe('test');
      const samples = await backend.listTrainingSamples({});
      expect(samples.map((s) => s.patientId).sort()).toEqual(['CBIS-DDSM-P_00001', 'CBIS-DDSM-P_00002']);
      expect(samples.some((s) => s.imageId === three.images[0]!.id)).toBe(false);
      expect(result.trainingSet?.excluded).toEqual([
        expect.objectContaining({
          imageId: three.images[0]!.id,
          reason: expect.stringMatching(/official test split/),
        }),
      ]);
    } finally {
      await backend.close();
    }
  });

  it('refuses a missing or malformed annotations file in one line each', async () => {
    const root = tempDir();
    await writeSplit(root, 'train', [{ file: '00001_LEFT_CC.jpg', boxes: [[10, 20, 16, 12]] }]);
    writeFileSync(join(root, 'train', '_annotations.coco.json'), '{"images": [');
    await writeSplit(root, 'test', [{ file: '00003_LEFT_MLO.jpg', boxes: [[20, 20, 10, 10]] }]);
    rmSync(join(root, 'test', '_annotations.coco.json'));
    writeCases(root, 'train', [caseRow('P_00001', 'LEFT', 'CC', 1, 'BENIGN')]);
    writeCases(root, 'test', [caseRow('P_00003', 'LEFT', 'MLO', 1, 'BENIGN')]);

    const workspace = tempDir();
    const backend = MammoBackend.open(workspace);
    try {
      const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(result.imported).toBe(0);
      expect(result.errors).toEqual([
        {
          file: join(root, 'train', '_annotations.coco.json'),
          reason: expect.stringMatching(/^not JSON \(/),
        },
        {
          file: join(root, 'test', '_annotations.coco.json'),
          reason: 'missing: the test folder has no _annotations.coco.json',
        },
      ]);
      for (const error of result.errors) expect(error.reason).not.toMatch(/\n/);
      expect(await backend.listStudies({})).toEqual([]);
      expect(storedFiles(workspace)).toEqual([]);
    } finally {
      await backend.close();
    }
  });

  it('refuses each image whose boxes, file or case rows do not agree, and imports the rest', async () => {
    const root = tempDir();
    await writeSplit(root, 'train', [
      { file: '00001_LEFT_CC.jpg', boxes: [[10, 20, 16, 12]] },
      // A box reaching past the 60-pixel edge.
      { file: '00004_LEFT_CC.jpg', boxes: [[50, 10, 20, 10]] },
      // Named in the JSON, no such file.
      { file: '00005_LEFT_CC.jpg', boxes: [[10, 10, 10, 10]], noFile: true },
      // Two case rows, one box: a row has no box.
      { file: '00006_RIGHT_CC.jpg', boxes: [[10, 10, 10, 10]] },
      // A box, but no case row.
      { file: '00007_LEFT_MLO.jpg', boxes: [[10, 10, 10, 10]] },
    ]);
    writeCases(root, 'train', [
      caseRow('P_00001', 'LEFT', 'CC', 1, 'BENIGN'),
      caseRow('P_00004', 'LEFT', 'CC', 1, 'BENIGN'),
      caseRow('P_00005', 'LEFT', 'CC', 1, 'BENIGN'),
      caseRow('P_00006', 'RIGHT', 'CC', 1, 'BENIGN'),
      caseRow('P_00006', 'RIGHT', 'CC', 2, 'MALIGNANT'),
    ]);

    const workspace = tempDir();
    const backend = MammoBackend.open(workspace);
    try {
      const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(result.imported).toBe(1);
      const reasons = Object.fromEntries(result.errors.map((e) => [e.file.slice(root.length + 1), e.reason]));
      expect(reasons).toEqual({
        'train/00004_LEFT_CC.jpg': 'box 1 [50.0, 10.0, 20.0, 10.0] lies outside the 60x60 image',
        'train/00005_LEFT_CC.jpg': '_annotations.coco.json names this image but there is no such file',
        'train/00006_RIGHT_CC.jpg':
          '1 box(es) in _annotations.coco.json but 2 case table row(s): which is which cannot be told',
        'train/00007_LEFT_MLO.jpg': 'the case table has no row for this image',
      });
      // Nothing of the refused images: only the good one's patient, ground truth and stored file.
      const studies = await backend.listStudies({});
      expect(studies.map((s) => s.patientId)).toEqual(['CBIS-DDSM-P_00001']);
      const detail = await backend.getStudy({ studyId: studies[0]!.id });
      expect(detail.groundTruth).toHaveLength(1);
      expect(storedFiles(workspace)).toEqual([detail.images[0]!.path.split('/').pop()]);
    } finally {
      await backend.close();
    }
  });
});
