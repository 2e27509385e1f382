/**
 * A miniature of CBIS-DDSM's official TCIA layout, written for tests: case tables naming
 * full-mammogram DICOMs and ROI folders whose 000000.dcm / 000001.dcm are a crop and a mask.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSyntheticDicom } from './syntheticDicom.js';

/** The case tables' header, as TCIA publishes it. */
export const TCIA_CASE_HEADER =
  'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path';

/** The scan: a gradient with the lesions brighter, 16-bit like CBIS-DDSM's. */
export function tciaScanPixels(masks: readonly Uint8Array[], rows: number, columns: number): Uint16Array {
  const pixels = new Uint16Array(rows * columns);
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = 8000 + (i % columns) * 100 + (masks.some((m) => m[i]) ? 20000 : 0);
  return pixels;
}

function write(root: string, relative: string, bytes: Uint8Array): void {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** One abnormality of a view: its row in the case table and its ROI files. */
export interface TciaAbnormality {
  id: number;
  mask: Uint8Array;
  pathology: string;
  /** Size of the mask DICOM written, when it should not be the image's. */
  maskSize?: { rows: number; columns: number };
  /** Pixels of the mask DICOM written instead of the mask (a grey "mask"). */
  maskPixels?: Uint8Array;
  /** Leave the ROI folder out (neither mask nor crop). */
  noRoiFiles?: boolean;
}

/**
 * Writes one view the TCIA way under `base` (the download folder or its CBIS-DDSM/): the full
 * mammogram, then per abnormality a ROI folder holding the crop as 000000.dcm and the mask as
 * 000001.dcm; the row names them the other way round, as the real tables often do. Returns the
 * case table rows.
 */
export function writeTciaView(
  root: string,
  base: string,
  split: 'Training' | 'Test',
  patient: string,
  side: 'LEFT' | 'RIGHT',
  view: 'CC' | 'MLO',
  abnormalities: readonly TciaAbnormality[],
  options: {
    rows: number;
    columns: number;
    pixelSpacing?: [number, number];
    noImage?: boolean;
    dateNamedFolders?: boolean;
  },
): string[] {
  const subject = `Mass-${split}_${patient}_${side}_${view}`;
  const imagePath = `${subject}/1.3.6.1.4.1.9590.100.1.2.${patient.slice(2)}1/1.3.6.1.4.1.9590.100.1.2.${patient.slice(2)}2/000000.dcm`;
  // Newer TCIA downloads name the folders by date and description, not as the table's paths do.
  const stored = (path: string, kind: string): string =>
    options.dateNamedFolders
      ? `${path.split('/')[0]!}/07-20-2016-DDSM-74994/1.000000-${kind}-24515/1-1.dcm`
      : path;
  if (!options.noImage)
    write(
      join(root, base),
      stored(imagePath, 'full mammogram images'),
      writeSyntheticDicom({
        rows: options.rows,
        columns: options.columns,
        pixels: tciaScanPixels(
          abnormalities.map((a) => a.mask),
          options.rows,
          options.columns,
        ),
        patientId: subject,
        patientName: subject,
        ...(options.pixelSpacing ? { pixelSpacing: options.pixelSpacing } : {}),
      }),
    );
  return abnormalities.map((abnormality) => {
    const folder = `${subject}_${abnormality.id}/1.3.6.1.4.1.9590.100.1.2.${patient.slice(2)}${abnormality.id}3/1.3.6.1.4.1.9590.100.1.2.${patient.slice(2)}${abnormality.id}4`;
    if (abnormality.noRoiFiles) return row(abnormality, folder);
    write(
      join(root, base),
      stored(`${folder}/000000.dcm`, 'cropped images'),
      writeSyntheticDicom({ rows: 26, columns: 18, bitsAllocated: 8, patientId: subject }),
    );
    const size = abnormality.maskSize ?? { rows: options.rows, columns: options.columns };
    write(
      join(root, base),
      stored(`${folder}/000001.dcm`, 'ROI mask images'),
      writeSyntheticDicom({
        rows: size.rows,
        columns: size.columns,
        bitsAllocated: 8,
        pixels:
          abnormality.maskPixels ??
          (abnormality.maskSize ? new Uint8Array(size.rows * size.columns).fill(255) : abnormality.mask),
        patientId: subject,
      }),
    );
    return row(abnormality, folder);
  });

  function row(abnormality: TciaAbnormality, folder: string): string {
    // The real tables quote the paths and end the ROI path with a newline.
    return `${patient},3,${side},${view},${abnormality.id},mass,IRREGULAR,SPICULATED,4,${abnormality.pathology},3,"${imagePath}","${folder}/000001.dcm","${folder}/000000.dcm\n"`;
  }
}
