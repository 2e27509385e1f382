/**
 * `mammo import --format cbis-ddsm` on the official TCIA layout of CBIS-DDSM, on a miniature of it
 * generated here: case tables naming full-mammogram DICOMs and ROI folders whose 000000.dcm /
 * 000001.dcm are a mask and a crop in either order. The truth each check compares with is the
 * pixels this file wrote.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { parseDicomHeader } from '../../main/imaging/dicomFile.js';
import { withHeaderElements } from '../../main/imaging/dicomHeaderRewrite.js';
import { identityOf } from '../../main/studies/cbis/cbisIdentity.js';
import { caseIdentityElements } from '../../main/studies/cbis/tciaDicomIdentity.js';
import { TCIA_ESTIMATED_SPACING_MM } from '../../main/studies/cbis/tciaSpacing.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';
import {
  TCIA_CASE_HEADER,
  tciaScanPixels,
  writeTciaView,
  type TciaAbnormality,
} from '../helpers/tciaMiniature.js';

const ROWS = 96;
const COLUMNS = 64;

/** An irregular lesion (an ellipse with a notch cut out): what a real outline looks like, not a box. */
function lesion(centerColumn: number, centerRow: number, rows = ROWS, columns = COLUMNS): Uint8Array {
  const mask = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const inside = ((c - centerColumn) / 9) ** 2 + ((r - centerRow) / 13) ** 2 < 1;
      const notch = c > centerColumn + 2 && r < centerRow - 4;
      if (inside && !notch) mask[r * columns + c] = 255;
    }
  return mask;
}

/** The scan this file's views are written with. */
function scanPixels(masks: readonly Uint8Array[]): Uint16Array {
  return tciaScanPixels(masks, ROWS, COLUMNS);
}

/** A view of this file's size; see {@link writeTciaView}. */
function writeView(
  root: string,
  base: string,
  split: 'Training' | 'Test',
  patient: string,
  side: 'LEFT' | 'RIGHT',
  view: 'CC' | 'MLO',
  abnormalities: readonly TciaAbnormality[],
  options: { pixelSpacing?: [number, number]; noImage?: boolean; dateNamedFolders?: boolean } = {},
): string[] {
  return writeTciaView(root, base, split, patient, side, view, abnormalities, {
    rows: ROWS,
    columns: COLUMNS,
    ...options,
  });
}

function maskBox(mask: Uint8Array): { left: number; top: number; width: number; height: number } {
  let top = ROWS;
  let bottom = -1;
  let left = COLUMNS;
  let right = -1;
  mask.forEach((value, i) => {
    if (!value) return;
    const r = Math.floor(i / COLUMNS);
    const c = i % COLUMNS;
    top = Math.min(top, r);
    bottom = Math.max(bottom, r);
    left = Math.min(left, c);
    right = Math.max(right, c);
  });
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

function storedFiles(workspace: string): string[] {
  const store = join(workspace, 'store');
  try {
    return readdirSync(store, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

describe('CBIS-DDSM import, the official TCIA layout', () => {
  const tempDir = useTempDir();

  it('stores full mammograms as DICOM under the case identity, masks as outlines, and trains on them', async () => {
    const root = tempDir();
    const one = lesion(30, 50);
    const twoA = lesion(20, 30);
    const twoB = lesion(44, 70);
    const three = lesion(32, 48);
    const four = lesion(28, 60);
    const train = [
      TCIA_CASE_HEADER,
      ...writeView(
        root,
        'CBIS-DDSM',
        'Training',
        'P_00001',
        'LEFT',
        'CC',
        [{ id: 1, mask: one, pathology: 'MALIGNANT' }],
        { pixelSpacing: [0.2, 0.2] },
      ),
      ...writeView(root, '', 'Training', 'P_00002', 'RIGHT', 'MLO', [
        { id: 1, mask: twoA, pathology: 'BENIGN' },
        { id: 2, mask: twoB, pathology: 'MALIGNANT' },
      ]),
      // Stored as newer downloads name the folders (by date and description, not the table's UIDs).
      ...writeView(
        root,
        'CBIS-DDSM',
        'Training',
        'P_00004',
        'LEFT',
        'MLO',
        [{ id: 1, mask: four, pathology: 'BENIGN' }],
        { dateNamedFolders: true },
      ),
    ];
    writeFileSync(join(root, 'mass_case_description_train_set.csv'), train.join('\r\n'));
    const test = [
      TCIA_CASE_HEADER,
      ...writeView(root, 'CBIS-DDSM', 'Test', 'P_00003', 'LEFT', 'MLO', [
        { id: 1, mask: three, pathology: 'BENIGN' },
      ]),
    ];
    writeFileSync(join(root, 'mass_case_description_test_set.csv'), test.join('\n'));

    const workspace = tempDir();
    const backend = MammoBackend.open(workspace);
    try {
      const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ imported: 4, skipped: 0 });
      expect(result.studies.map((s) => s.patientId).sort()).toEqual([
        'CBIS-DDSM-P_00001',
        'CBIS-DDSM-P_00002',
        'CBIS-DDSM-P_00003',
        'CBIS-DDSM-P_00004',
      ]);

      const study1 = await backend.getStudy({
        studyId: result.studies.find((s) => s.patientId === 'CBIS-DDSM-P_00001')!.id,
      });
      const [image1] = study1.images;
      expect(image1).toMatchObject({
        laterality: 'L',
        view: 'CC',
        rows: ROWS,
        columns: COLUMNS,
        format: 'dicom',
        pixelSpacingMm: [0.2, 0.2],
        pixelSpacingSource: 'PixelSpacing',
      });
      expect(study1.study.source).toBe('cbis-ddsm');
      expect(study1.groundTruth).toHaveLength(1);
      const truth1 = study1.groundTruth[0]!;
      expect(truth1).toMatchObject({
        abnormalityClass: 'MASS',
        severity: 'M',
        source: 'cbis-ddsm',
        box: maskBox(one),
        details: {
          author: 'CBIS-DDSM',
          pathology: 'MALIGNANT',
          breastDensity: 3,
          assessment: 4,
          subtlety: 3,
          massShape: 'IRREGULAR',
          massMargins: 'SPICULATED',
          officialSplit: 'train',
        },
      });
      // The stored outline is the mask's pixels, exactly.
      const outline = decodePng(readFileSync(join(workspace, truth1.outlinePath!)));
      expect([outline.width, outline.height, outline.channels]).toEqual([COLUMNS, ROWS, 1]);
      expect(Buffer.from(outline.data as Uint8Array).equals(Buffer.from(one))).toBe(true);
      // Its circle encloses every pixel of it.
      const { centerColumn, centerRow, radius } = truth1.circle!;
      one.forEach((v, i) => {
        if (v)
          expect(Math.hypot((i % COLUMNS) - centerColumn, Math.floor(i / COLUMNS) - centerRow)).toBeLessThan(
            radius,
          );
      });

      // The stored DICOM says the case table's identity and keeps the source's pixels.
      const storedPath = join(workspace, image1!.path);
      const storedBytes = readFileSync(storedPath);
      const dataSet = dicomParser.parseDicom(storedBytes);
      // One Pixel Data element, the source's bytes to the end of the file.
      const sourceBytes = readFileSync(
        join(
          root,
          'CBIS-DDSM',
          'Mass-Training_P_00001_LEFT_CC/1.3.6.1.4.1.9590.100.1.2.000011/1.3.6.1.4.1.9590.100.1.2.000012/000000.dcm',
        ),
      );
      const pixelStart = (bytes: Buffer): number =>
        dicomParser.parseDicom(bytes).elements['x7fe00010']!.dataOffset - 12;
      expect(
        storedBytes.subarray(pixelStart(storedBytes)).equals(sourceBytes.subarray(pixelStart(sourceBytes))),
      ).toBe(true);
      // Every other element of the source is there, value for value (read by dicom-parser, not the
      // dcmjs that wrote it); and the file is, byte for byte, the header rewrite done in this thread,
      // as the import did before the rewrite moved to the decode worker.
      const identityTags = ['x00100020', 'x0020000d', 'x0020000e', 'x00080018', 'x00020003'];
      const valuesOf = (set: dicomParser.DataSet, without: readonly string[]) =>
        Object.fromEntries(
          Object.entries(set.elements)
            .filter(([tag]) => tag !== 'x7fe00010' && tag !== 'x00020000' && !without.includes(tag))
            .map(([tag, e]) => [
              tag,
              Buffer.from(set.byteArray.subarray(e.dataOffset, e.dataOffset + e.length)),
            ]),
        );
      expect(valuesOf(dataSet, [...identityTags, 'x00200062', 'x00185101'])).toEqual(
        valuesOf(dicomParser.parseDicom(sourceBytes), identityTags),
      );
      const rewrittenHere = withHeaderElements(
        sourceBytes,
        await parseDicomHeader(sourceBytes),
        caseIdentityElements(identityOf('P_00001', 'L', 'CC')),
      );
      expect(Buffer.from(rewrittenHere).equals(storedBytes)).toBe(true);
      expect(dataSet.string('x00100020')).toBe('CBIS-DDSM-P_00001');
      expect(dataSet.string('x00200062')).toBe('L');
      expect(dataSet.string('x00185101')).toBe('CC');
      expect(dataSet.string('x00080018')).toBe(image1!.sopInstanceUid);
      expect(dataSet.string('x0020000d')).toBe(study1.study.studyUid);
      const decoded = await decodeImageFile(storedPath);
      expect(Array.from(decoded.stored)).toEqual(Array.from(scanPixels([one])));

      // Two abnormalities of one view: two outlines, each with its own row's pathology.
      const study2 = await backend.getStudy({
        studyId: result.studies.find((s) => s.patientId === 'CBIS-DDSM-P_00002')!.id,
      });
      expect(study2.images[0]).toMatchObject({
        laterality: 'R',
        view: 'MLO',
        pixelSpacingMm: [TCIA_ESTIMATED_SPACING_MM, TCIA_ESTIMATED_SPACING_MM],
        pixelSpacingSource: 'estimated',
        pixelSpacingNote: expect.stringMatching(/estimated, not measured.*42-50 um/),
      });
      expect(study2.groundTruth.map((g) => [g.details?.pathology, g.severity, g.box])).toEqual([
        ['BENIGN', 'B', maskBox(twoA)],
        ['MALIGNANT', 'M', maskBox(twoB)],
      ]);
      for (const [index, mask] of [twoA, twoB].entries()) {
        const png = decodePng(readFileSync(join(workspace, study2.groundTruth[index]!.outlinePath!)));
        expect(Buffer.from(png.data as Uint8Array).equals(Buffer.from(mask))).toBe(true);
      }

      // The official test split is imported for evaluation, never made a training sample.
      const study3 = await backend.getStudy({
        studyId: result.studies.find((s) => s.patientId === 'CBIS-DDSM-P_00003')!.id,
      });
      expect(study3.groundTruth[0]!.details?.officialSplit).toBe('test');
      const samples = await backend.listTrainingSamples({});
      expect(samples.map((s) => s.patientId).sort()).toEqual([
        'CBIS-DDSM-P_00001',
        'CBIS-DDSM-P_00002',
        'CBIS-DDSM-P_00004',
      ]);
      expect(result.trainingSet?.excluded).toEqual([
        expect.objectContaining({
          imageId: study3.images[0]!.id,
          reason: expect.stringMatching(/official test split/),
        }),
      ]);

      // The training sample's label (G) is the outline, pixel for pixel (0.2 mm: no resampling).
      const sample = samples.find((s) => s.imageId === image1!.id)!;
      expect([sample.rows, sample.columns, sample.positivePixels]).toEqual([
        ROWS,
        COLUMNS,
        one.filter(Boolean).length,
      ]);
      const rgb = decodePng(readFileSync(join(workspace, sample.path)));
      const green = new Uint8Array(ROWS * COLUMNS);
      for (let i = 0; i < green.length; i++) green[i] = (rgb.data as Uint8Array)[i * rgb.channels + 1]!;
      expect(Buffer.from(green).equals(Buffer.from(one))).toBe(true);

      // Found in its case folder though the table's path is not there; the mask told from the crop.
      const study4 = await backend.getStudy({
        studyId: result.studies.find((s) => s.patientId === 'CBIS-DDSM-P_00004')!.id,
      });
      const png4 = decodePng(readFileSync(join(workspace, study4.groundTruth[0]!.outlinePath!)));
      expect(Buffer.from(png4.data as Uint8Array).equals(Buffer.from(four))).toBe(true);

      // Importing again changes nothing.
      const again = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(again).toMatchObject({ imported: 0, skipped: 4, errors: [] });
    } finally {
      await backend.close();
    }
  });

  it('refuses each bad image in one line, imports the rest, and leaves nothing of a refused one', async () => {
    const root = tempDir();
    const mask = lesion(30, 50);
    const grey = new Uint8Array(ROWS * COLUMNS).map((_, i) => i % 7);
    const rows = [
      TCIA_CASE_HEADER,
      // Good: goes in although its neighbours are refused.
      ...writeView(root, 'CBIS-DDSM', 'Training', 'P_00010', 'LEFT', 'CC', [
        { id: 1, mask, pathology: 'BENIGN' },
      ]),
      // The full mammogram is missing.
      ...writeView(
        root,
        'CBIS-DDSM',
        'Training',
        'P_00011',
        'LEFT',
        'CC',
        [{ id: 1, mask, pathology: 'BENIGN' }],
        {
          noImage: true,
        },
      ),
      // The mask is not the image's size.
      ...writeView(root, 'CBIS-DDSM', 'Training', 'P_00012', 'LEFT', 'CC', [
        { id: 1, mask, pathology: 'BENIGN', maskSize: { rows: 90, columns: 60 } },
      ]),
      // The second abnormality's mask is missing: not even the first one's outline goes in.
      ...writeView(root, 'CBIS-DDSM', 'Training', 'P_00013', 'RIGHT', 'CC', [
        { id: 1, mask, pathology: 'BENIGN' },
        { id: 2, mask: lesion(20, 20), pathology: 'BENIGN', noRoiFiles: true },
      ]),
      // The image-sized file under the ROI folder is not binary.
      ...writeView(root, 'CBIS-DDSM', 'Training', 'P_00014', 'LEFT', 'MLO', [
        { id: 1, mask, pathology: 'BENIGN', maskPixels: grey },
      ]),
      // The full mammogram is compressed: its header cannot be rewritten in front of the same pixels.
      ...writeView(root, 'CBIS-DDSM', 'Training', 'P_00015', 'RIGHT', 'MLO', [
        { id: 1, mask, pathology: 'BENIGN' },
      ]),
    ];
    writeFileSync(join(root, 'mass_case_description_train_set.csv'), rows.join('\n'));
    writeFileSync(
      join(
        root,
        'CBIS-DDSM/Mass-Training_P_00015_RIGHT_MLO/1.3.6.1.4.1.9590.100.1.2.000151/1.3.6.1.4.1.9590.100.1.2.000152/000000.dcm',
      ),
      writeSyntheticDicom({
        rows: ROWS,
        columns: COLUMNS,
        transferSyntax: '1.2.840.10008.1.2.5',
        encapsulatedFrames: [new Uint8Array(ROWS * COLUMNS).fill(3)],
      }),
    );

    const workspace = tempDir();
    const backend = MammoBackend.open(workspace);
    try {
      const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(result.imported).toBe(1);
      expect(result.studies.map((s) => s.patientId)).toEqual(['CBIS-DDSM-P_00010']);
      const byPatient = (id: string) => result.errors.filter((e) => e.file.includes(id));
      expect(result.errors).toHaveLength(5);
      for (const error of result.errors) expect(error.reason).not.toMatch(/\n/);
      expect(byPatient('P_00011')).toEqual([
        {
          file: expect.stringMatching(/Mass-Training_P_00011_LEFT_CC\/.*\/000000\.dcm$/),
          reason: expect.stringMatching(/^missing: the full mammogram of P_00011 LEFT CC/),
        },
      ]);
      expect(byPatient('P_00012')[0]!.reason).toMatch(
        /abnormality 1 .*none is the size of its full mammogram \(64x96\).*000001\.dcm 60x90/,
      );
      expect(byPatient('P_00013')[0]!.reason).toMatch(
        /^abnormality 2 \(mass_case_description_train_set\.csv\): its ROI mask Mass-Training_P_00013_RIGHT_CC_2\/.*\/000000\.dcm is missing$/,
      );
      expect(byPatient('P_00014')[0]!.reason).toMatch(/abnormality 1 .*not a 0\/255 mask/);
      expect(byPatient('P_00015')[0]!.reason).toBe(
        'transfer syntax 1.2.840.10008.1.2.5: a CBIS-DDSM file is expected uncompressed (little endian)',
      );

      // Nothing of the refused images: no patient, no ground truth, no stored file.
      const listed = await backend.listStudies({});
      expect(listed.map((s) => s.patientId)).toEqual(['CBIS-DDSM-P_00010']);
      const detail = await backend.getStudy({ studyId: listed[0]!.id });
      expect(detail.groundTruth).toHaveLength(1);
      expect(storedFiles(workspace)).toEqual(
        [detail.images[0]!.path, detail.groundTruth[0]!.outlinePath!].map((p) => p.split('/').pop()!).sort(),
      );
    } finally {
      await backend.close();
    }
  });

  it('refuses a case table with an unreadable row whole, one line per row', async () => {
    const root = tempDir();
    const rows = [
      TCIA_CASE_HEADER,
      ...writeView(root, '', 'Training', 'P_00020', 'LEFT', 'CC', [
        { id: 1, mask: lesion(30, 50), pathology: 'BENIGN' },
      ]),
      'P_00021,3,MIDDLE,CC,1,mass,OVAL,CIRCUMSCRIBED,3,BENIGN,2,"a/000000.dcm","b/000000.dcm","b/000001.dcm"',
    ];
    writeFileSync(join(root, 'mass_case_description_train_set.csv'), rows.join('\n'));
    const backend = MammoBackend.open(tempDir());
    try {
      const result = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(result).toMatchObject({ imported: 0 });
      expect(result.errors).toEqual([
        {
          file: join(root, 'mass_case_description_train_set.csv'),
          reason:
            'case table row 3: side "MIDDLE" is not LEFT or RIGHT; nothing from this table was imported',
        },
      ]);
    } finally {
      await backend.close();
    }
  });
});
