import type { DataSet } from 'dicom-parser';
import type { ParsedDicom } from '../imaging/dicomFile.js';
import type { Laterality, PixelSpacingSource, PresentationIntent } from '../api/domain.js';
import type { NewImage, NewPatient, NewSeries, NewStudy } from '../db/StudyRepository.js';
import { viewFromCode } from '../dicom/viewCodes.js';
import { readPixelModule } from '../imaging/dicomPixelData.js';
import { ImageDecodeError } from '../imaging/errors.js';
import { MAX_IMAGE_ASPECT, MIN_IMAGE_DIMENSION, PIXEL_SPACING_RANGE_MM } from '../imaging/limits.js';
import { describeTransferSyntax, isSupportedTransferSyntax } from '../imaging/transferSyntax.js';

/** A file that is DICOM but must not be imported; the message is the reason shown to the user. */
export class ImportRejection extends Error {}

export interface DicomImportRecord {
  patient: NewPatient;
  study: NewStudy;
  series: NewSeries;
  /** Everything but where the file ends up in the workspace. */
  image: Omit<NewImage, 'path' | 'sha256' | 'fileSize' | 'format'>;
}

const MAMMOGRAPHY_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.1.2', // Digital Mammography X-Ray Image Storage - For Presentation
  '1.2.840.10008.5.1.4.1.1.1.2.1', // - For Processing
  '1.2.840.10008.5.1.4.1.1.13.1.3', // Breast Tomosynthesis Image Storage
  '1.2.840.10008.5.1.4.1.1.13.1.4', // Breast Projection X-Ray - For Presentation
  '1.2.840.10008.5.1.4.1.1.13.1.5', // Breast Projection X-Ray - For Processing
]);
const FOR_PROCESSING_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.1.2.1',
  '1.2.840.10008.5.1.4.1.1.1.1.1', // Digital X-Ray - For Processing
  '1.2.840.10008.5.1.4.1.1.13.1.5',
]);
/** Projection modalities that count as breast imaging when the body part says BREAST. */
const PROJECTION_MODALITIES = new Set(['DX', 'CR', 'RG', 'SC', 'OT', 'DF', 'XC']);
const DICOMDIR_SOP_CLASS = '1.2.840.10008.1.3.10';

/**
 * Reads what the workstation records about one image and decides whether it may be imported.
 * Throws {@link ImportRejection} with a reader-facing reason when it may not.
 */
export function readDicomImportRecord({
  dataSet,
  transferSyntaxUid,
  headerOnly,
  streamBytes,
}: ParsedDicom): DicomImportRecord {
  const text = (tag: string): string | null => {
    const value = dataSet.string(tag)?.trim();
    return value ? value : null;
  };
  const sopClassUid = text('x00080016') ?? text('x00020002');
  if (sopClassUid === DICOMDIR_SOP_CLASS) throw new ImportRejection('a DICOMDIR index, not an image');

  const sopInstanceUid = text('x00080018') ?? text('x00020003');
  const studyUid = text('x0020000d');
  const seriesUid = text('x0020000e');
  if (!sopInstanceUid) throw new ImportRejection('missing SOPInstanceUID');
  if (!studyUid) throw new ImportRejection('missing StudyInstanceUID');
  if (!seriesUid) throw new ImportRejection('missing SeriesInstanceUID');

  // Type 1 in every image IOD: a file without it is not an image object this can judge.
  const modality = text('x00080060');
  if (!modality) throw new ImportRejection('missing Modality (0008,0060), which every DICOM image has');
  const bodyPart = text('x00180015');
  if (!isBreastImaging(modality, bodyPart, sopClassUid)) {
    throw new ImportRejection(
      `modality ${modality}${bodyPart ? ` (${bodyPart})` : ''} is not breast imaging`,
    );
  }

  const pixelData = dataSet.elements['x7fe00010'];
  if (!pixelData) throw new ImportRejection('no pixel data');

  if (!isSupportedTransferSyntax(transferSyntaxUid)) {
    throw new ImportRejection(`unsupported transfer syntax ${describeTransferSyntax(transferSyntaxUid)}`);
  }

  // The same checks the decoder makes (photometric, bit depths, frames, size caps), made before
  // anything is stored or decoded, so a header that cannot be right never gets in.
  let pixelModule;
  try {
    pixelModule = readPixelModule(dataSet);
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new ImportRejection(error.reason, { cause: error });
    throw error;
  }
  const { rows, columns, bitsAllocated, bitsStored, samplesPerPixel, numberOfFrames: frames } = pixelModule;
  if (
    Math.min(rows, columns) < MIN_IMAGE_DIMENSION ||
    Math.max(rows, columns) > MAX_IMAGE_ASPECT * Math.min(rows, columns)
  ) {
    throw new ImportRejection(
      `Columns ${columns} x Rows ${rows} cannot be a mammogram (each side at least ${MIN_IMAGE_DIMENSION} pixels, the longer at most ${MAX_IMAGE_ASPECT} times the shorter)`,
    );
  }
  if (pixelData.encapsulatedPixelData) {
    if (!pixelData.fragments?.length) throw new ImportRejection('encapsulated pixel data has no fragments');
  } else {
    const expected = Math.ceil((rows * columns * samplesPerPixel * frames * bitsAllocated) / 8);
    // A header read alone has the stream's length (a file's first bytes) or, a deflated file's, its
    // pixels' declared length (the decode checks them).
    const present = !headerOnly
      ? dataSet.byteArray.length - pixelData.dataOffset
      : streamBytes === undefined
        ? pixelData.length
        : streamBytes - pixelData.dataOffset;
    const available = Math.min(pixelData.length, present);
    if (available < expected) {
      throw new ImportRejection(
        `truncated pixel data (expected ${expected} bytes, found ${Math.max(0, available)})`,
      );
    }
  }

  const presentationIntent = readPresentationIntent(text('x00080068'), sopClassUid);
  const spacing = readPixelSpacing(dataSet);
  return {
    patient: {
      // Patient ID is type 2 (may be empty): fall back to the study so unrelated scans never merge.
      patientId: text('x00100020') ?? `anonymous:${studyUid}`,
      name: text('x00100010'),
      birthDate: text('x00100030'),
      sex: text('x00100040'),
    },
    study: {
      studyUid,
      studyDate: text('x00080020'),
      accessionNumber: text('x00080050'),
      description: text('x00081030'),
      source: 'dicom',
    },
    series: {
      seriesUid,
      modality,
      seriesNumber: integerOrNull(text('x00200011')),
      description: text('x0008103e'),
      bodyPart,
    },
    image: {
      sopInstanceUid,
      sopClassUid,
      instanceNumber: integerOrNull(text('x00200013')),
      laterality: readLaterality(text('x00200062')) ?? readLaterality(text('x00200060')),
      view: text('x00185101')?.toUpperCase() ?? readViewCode(dataSet),
      presentationIntent,
      forDisplay: presentationIntent !== 'FOR PROCESSING',
      photometric: text('x00280004') ?? 'MONOCHROME2',
      bitsAllocated,
      bitsStored,
      pixelRepresentation: dataSet.uint16('x00280103') ?? 0,
      rows,
      columns,
      pixelSpacingMm: spacing.mm,
      pixelSpacingSource: spacing.source,
      windowCenter: dataSet.floatString('x00281050', 0) ?? null,
      windowWidth: dataSet.floatString('x00281051', 0) ?? null,
      voiLutFunction: text('x00281056'),
      hasVoiLutSequence: Boolean(dataSet.elements['x00283010']?.items?.length),
      transferSyntaxUid,
    },
  };
}

function isBreastImaging(modality: string, bodyPart: string | null, sopClassUid: string | null): boolean {
  if (modality === 'MG') return true;
  if (sopClassUid && MAMMOGRAPHY_SOP_CLASSES.has(sopClassUid)) return true;
  return PROJECTION_MODALITIES.has(modality) && bodyPart?.toUpperCase() === 'BREAST';
}

function readPresentationIntent(value: string | null, sopClassUid: string | null): PresentationIntent | null {
  const upper = value?.toUpperCase();
  if (upper === 'FOR PRESENTATION' || upper === 'FOR PROCESSING') return upper;
  return sopClassUid && FOR_PROCESSING_SOP_CLASSES.has(sopClassUid) ? 'FOR PROCESSING' : null;
}

function readLaterality(value: string | null): Laterality | null {
  const upper = value?.toUpperCase();
  return upper === 'L' || upper === 'R' || upper === 'B' ? upper : null;
}

function readViewCode(dataSet: DataSet): string | null {
  const item = dataSet.elements['x00540220']?.items?.[0]?.dataSet;
  if (!item) return null;
  return viewFromCode(item.string('x00080100')?.trim(), item.string('x00080104')?.trim());
}

/**
 * The image's spacing, by one rule: PixelSpacing, else ImagerPixelSpacing, else unknown (absent or
 * empty: the image is imported and measured in pixels). An attribute that is present must hold two
 * numbers (row\column, in mm), each within {@link PIXEL_SPACING_RANGE_MM}; anything else (one value,
 * zero, negative, text) is refused, naming the attribute and its value.
 */
function readPixelSpacing(dataSet: DataSet): {
  mm: [number, number] | null;
  source: PixelSpacingSource | null;
} {
  for (const [tag, source] of [
    ['x00280030', 'PixelSpacing'],
    ['x00181164', 'ImagerPixelSpacing'],
  ] as const) {
    const value = dataSet.string(tag)?.trim();
    if (!value) continue;
    const parts = value.split('\\').map((part) => part.trim());
    const { min, max } = PIXEL_SPACING_RANGE_MM;
    if (parts.length !== 2 || !parts.every((part) => DECIMAL.test(part))) {
      throw new ImportRejection(`${source} '${value}' is not two numbers (row\\column spacing in mm)`);
    }
    const [row, column] = parts.map(Number) as [number, number];
    if (!(row >= min && row <= max && column >= min && column <= max)) {
      throw new ImportRejection(
        `${source} ${row}\\${column} mm cannot be a mammogram's (expected ${min} to ${max} mm)`,
      );
    }
    return { mm: [row, column], source };
  }
  return { mm: null, source: null };
}

/** A DICOM decimal string (DS): an optional sign, digits with an optional point, an exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function integerOrNull(value: string | null): number | null {
  const parsed = value === null ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? parsed : null;
}
