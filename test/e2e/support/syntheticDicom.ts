/**
 * Small synthetic mammograms written as DICOM, so the end-to-end tests cover DICOM import and
 * display in a fresh clone: a breast-shaped half ellipse against one edge of the pixel data.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MG_FOR_PRESENTATION_SOP_CLASS } from '../../../main/server/rasterToDicom.js';
import { type DicomElement, writeDicomFile } from '../../../main/server/dicomWriter.js';

export interface SyntheticMammogram {
  laterality: 'R' | 'L';
  view: 'CC' | 'MLO';
  /** Which edge of the pixel data the tissue touches. */
  tissueAt: 'left' | 'right';
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  instance: number;
}

const ROWS = 320;
const COLUMNS = 240;
const STUDY_UID = '2.25.31415926535897932384626433832795';
const SERIES_UID = '2.25.27182818284590452353602874713526';

/** Writes one 12-bit image; tissue is bright on screen whatever the photometric interpretation. */
export function writeSyntheticMammogram(folder: string, spec: SyntheticMammogram): string {
  const pixels = new Uint8Array(ROWS * COLUMNS * 2);
  const view = new DataView(pixels.buffer);
  const background = 200;
  for (let y = 0; y < ROWS; y++) {
    for (let x = 0; x < COLUMNS; x++) {
      const fromWall = spec.tissueAt === 'left' ? x : COLUMNS - 1 - x;
      const dy = (y - ROWS / 2) / (ROWS * 0.45);
      const dx = fromWall / (COLUMNS * 0.8);
      const inside = dx * dx + dy * dy <= 1;
      // Denser (brighter) toward the chest wall, with a little texture.
      const tissue = inside ? 1800 + 1600 * (1 - dx) + 150 * Math.sin(x / 5) * Math.cos(y / 7) : background;
      const display = Math.max(0, Math.min(4095, Math.round(tissue)));
      view.setUint16(
        (y * COLUMNS + x) * 2,
        spec.photometric === 'MONOCHROME1' ? 4095 - display : display,
        true,
      );
    }
  }
  const rowDirection = spec.tissueAt === 'left' ? 'A' : 'P';
  const columnDirection = spec.view === 'CC' ? (spec.laterality === 'R' ? 'L' : 'R') : 'F';
  const sopInstanceUid = `2.25.1618033988749894848204586834365${spec.instance}`;
  const elements: DicomElement[] = [
    { tag: 0x00080008, vr: 'CS', value: ['ORIGINAL', 'PRIMARY'] },
    { tag: 0x00080020, vr: 'DA', value: '20250102' },
    { tag: 0x00080060, vr: 'CS', value: 'MG' },
    { tag: 0x00080068, vr: 'CS', value: 'FOR PRESENTATION' },
    { tag: 0x00081030, vr: 'LO', value: 'Synthetic screening' },
    { tag: 0x00100010, vr: 'PN', value: 'SYNTHETIC^PATIENT' },
    { tag: 0x00100020, vr: 'LO', value: 'SYN-001' },
    { tag: 0x00180015, vr: 'CS', value: 'BREAST' },
    { tag: 0x00185101, vr: 'CS', value: spec.view },
    { tag: 0x0020000d, vr: 'UI', value: STUDY_UID },
    { tag: 0x0020000e, vr: 'UI', value: SERIES_UID },
    { tag: 0x00200013, vr: 'IS', value: String(spec.instance) },
    { tag: 0x00200020, vr: 'CS', value: [rowDirection, columnDirection] },
    { tag: 0x00200062, vr: 'CS', value: spec.laterality },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: spec.photometric },
    { tag: 0x00280010, vr: 'US', value: ROWS },
    { tag: 0x00280011, vr: 'US', value: COLUMNS },
    { tag: 0x00280030, vr: 'DS', value: ['0.1', '0.1'] },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 12 },
    { tag: 0x00280102, vr: 'US', value: 11 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00281050, vr: 'DS', value: '2048' },
    { tag: 0x00281051, vr: 'DS', value: '4096' },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ];
  const file = join(folder, `${spec.laterality}${spec.view}.dcm`);
  writeFileSync(file, writeDicomFile(MG_FOR_PRESENTATION_SOP_CLASS, sopInstanceUid, elements));
  return file;
}
