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
  /** Patient and study (default SYN-001 and one fixed study). */
  patientId?: string;
  studyUid?: string;
  /**
   * PatientOrientation as stored. Default: what the pixels say (row "A" with the tissue on the
   * left, "P" on the right); null leaves the attribute out.
   */
  patientOrientation?: [string, string] | null;
  /**
   * A burned-in lead marker: the letter F at the top, away from the tissue, at full brightness.
   * `mirrored` stores it mirrored, as in an image whose pixel columns run the other way.
   */
  marker?: { mirrored: boolean };
}

/** The marker glyph, 5 columns by 7 rows, 1 = lit. Asymmetric both ways, so a flip shows. */
export const MARKER_GLYPH: readonly string[] = [
  '11111',
  '10000',
  '10000',
  '11110',
  '10000',
  '10000',
  '10000',
];
/** Stored pixels per glyph cell, and the glyph's top row and distance from the far (non-tissue) edge. */
const MARKER_CELL = 8;
const MARKER_TOP = 12;
const MARKER_MARGIN = 20;

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
      const display = markerLit(spec, x, y) ? 4095 : Math.max(0, Math.min(4095, Math.round(tissue)));
      view.setUint16(
        (y * COLUMNS + x) * 2,
        spec.photometric === 'MONOCHROME1' ? 4095 - display : display,
        true,
      );
    }
  }
  const rowDirection = spec.tissueAt === 'left' ? 'A' : 'P';
  const columnDirection = spec.view === 'CC' ? (spec.laterality === 'R' ? 'L' : 'R') : 'F';
  const orientation =
    spec.patientOrientation === undefined ? [rowDirection, columnDirection] : spec.patientOrientation;
  const sopInstanceUid = `2.25.1618033988749894848204586834365${spec.instance}`;
  const elements: DicomElement[] = [
    { tag: 0x00080008, vr: 'CS', value: ['ORIGINAL', 'PRIMARY'] },
    { tag: 0x00080020, vr: 'DA', value: '20250102' },
    { tag: 0x00080060, vr: 'CS', value: 'MG' },
    { tag: 0x00080068, vr: 'CS', value: 'FOR PRESENTATION' },
    { tag: 0x00081030, vr: 'LO', value: 'Synthetic screening' },
    { tag: 0x00100010, vr: 'PN', value: 'SYNTHETIC^PATIENT' },
    { tag: 0x00100020, vr: 'LO', value: spec.patientId ?? 'SYN-001' },
    { tag: 0x00180015, vr: 'CS', value: 'BREAST' },
    { tag: 0x00185101, vr: 'CS', value: spec.view },
    { tag: 0x0020000d, vr: 'UI', value: spec.studyUid ?? STUDY_UID },
    { tag: 0x0020000e, vr: 'UI', value: spec.studyUid ? `${spec.studyUid}.1` : SERIES_UID },
    { tag: 0x00200013, vr: 'IS', value: String(spec.instance) },
    ...(orientation ? [{ tag: 0x00200020, vr: 'CS', value: orientation } as DicomElement] : []),
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
  const file = join(folder, `${spec.patientId ?? ''}${spec.laterality}${spec.view}.dcm`);
  writeFileSync(file, writeDicomFile(MG_FOR_PRESENTATION_SOP_CLASS, sopInstanceUid, elements));
  return file;
}

/** Whether stored pixel (x, y) belongs to the marker glyph. */
function markerLit(spec: SyntheticMammogram, x: number, y: number): boolean {
  if (!spec.marker) return false;
  const width = MARKER_GLYPH[0]!.length * MARKER_CELL;
  // The glyph sits at the edge away from the tissue, where the half ellipse is narrow.
  const left = spec.tissueAt === 'left' ? COLUMNS - MARKER_MARGIN - width : MARKER_MARGIN;
  const row = Math.floor((y - MARKER_TOP) / MARKER_CELL);
  let column = Math.floor((x - left) / MARKER_CELL);
  if (x < left || row < 0 || row >= MARKER_GLYPH.length || column >= MARKER_GLYPH[0]!.length) return false;
  if (spec.marker.mirrored) column = MARKER_GLYPH[0]!.length - 1 - column;
  return MARKER_GLYPH[row]![column] === '1';
}
