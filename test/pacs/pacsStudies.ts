/** Small generated mammography studies for the PACS tests (no shared data needed). */
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';

export interface GeneratedStudy {
  studyInstanceUid: string;
  patientId: string;
  /** Patient and study attributes every instance of the study repeats. */
  identity: { patientId: string; patientName: string; studyDate: string; accessionNumber: string };
  /** Each instance's Part 10 bytes and the stored values written into it. */
  instances: { sopInstanceUid: string; file: Buffer; pixels: number[] }[];
}

const ROWS = 96;
const COLUMNS = 64;

/** Stored values with a pattern per view, so that two views never decode alike. */
function viewPixels(seed: number): number[] {
  const values: number[] = [];
  for (let r = 0; r < ROWS; r++)
    for (let c = 0; c < COLUMNS; c++) values.push((r * 37 + c * 11 + seed * 97) % 4096);
  return values;
}

/** A four-view screening study (16-bit, 12 bits stored), with optional extra objects. */
export function screeningStudy(options: {
  patientId: string;
  patientName: string;
  studyDate: string;
  accessionNumber: string;
}): GeneratedStudy {
  const studyInstanceUid = testUid();
  const instances = (
    [
      ['R', 'CC'],
      ['L', 'CC'],
      ['R', 'MLO'],
      ['L', 'MLO'],
    ] as const
  ).map(([laterality, view], index) => {
    const sopInstanceUid = testUid();
    const pixels = viewPixels(index + 1);
    const file = writeSyntheticDicom({
      rows: ROWS,
      columns: COLUMNS,
      bitsAllocated: 16,
      bitsStored: 12,
      pixels,
      patientId: options.patientId,
      patientName: options.patientName,
      studyInstanceUid,
      studyDate: options.studyDate,
      accessionNumber: options.accessionNumber,
      seriesInstanceUid: `${studyInstanceUid}.${index + 1}`,
      seriesNumber: index + 1,
      sopInstanceUid,
      instanceNumber: 1,
      imageLaterality: laterality,
      viewPosition: view,
      pixelSpacing: [0.1, 0.1],
    });
    return { sopInstanceUid, file, pixels };
  });
  return { studyInstanceUid, patientId: options.patientId, identity: { ...options }, instances };
}

/** A chest CT slice filed in the same study: not breast imaging, refused by the import. */
export function nonBreastInstance(study: GeneratedStudy): Buffer {
  return writeSyntheticDicom({
    rows: 16,
    columns: 16,
    bitsAllocated: 16,
    bitsStored: 12,
    ...study.identity,
    studyInstanceUid: study.studyInstanceUid,
    seriesInstanceUid: `${study.studyInstanceUid}.99`,
    sopInstanceUid: testUid(),
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    modality: 'CT',
    bodyPartExamined: 'CHEST',
  });
}

/** An MG instance whose pixel data is cut short: it fails the import's integrity check. */
export function truncatedInstance(study: GeneratedStudy): Buffer {
  return writeSyntheticDicom({
    rows: ROWS,
    columns: COLUMNS,
    bitsAllocated: 16,
    bitsStored: 12,
    pixelBytes: new Uint8Array(100),
    ...study.identity,
    studyInstanceUid: study.studyInstanceUid,
    seriesInstanceUid: `${study.studyInstanceUid}.98`,
    sopInstanceUid: testUid(),
    imageLaterality: 'L',
    viewPosition: 'XCCL',
  });
}
