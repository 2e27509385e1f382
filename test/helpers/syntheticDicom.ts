/**
 * Synthetic DICOM files for tests, written with dcmjs. General enough for imaging and import tests:
 * identity (patient/study/series/instance), mammography view attributes, pixel module, display
 * attributes, native or encapsulated pixel data, and files with broken or missing parts.
 */
import { deflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

// dcmjs warns on stdout about every tag it cannot map; tests want quiet output.
dcmjs.log.setLevel('error');

export const TRANSFER_SYNTAX_UIDS = {
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-le': '1.2.840.10008.1.2.1',
  'explicit-be': '1.2.840.10008.1.2.2',
  'deflated-le': '1.2.840.10008.1.2.1.99',
} as const;

/** Native encodings the helper writes itself; anything else is a UID used with `encapsulatedFrames`. */
export type NativeTransferSyntax = keyof typeof TRANSFER_SYNTAX_UIDS;

/** One LUT item (VOI LUT or Modality LUT Sequence). */
export interface SyntheticLut {
  readonly firstMapped: number;
  readonly bitsPerEntry: number;
  readonly data: readonly number[];
  /** Number of entries written in the descriptor; default `data.length` (65536 is written as 0). */
  readonly entries?: number;
  readonly explanation?: string;
}

export interface SyntheticDicomOptions {
  readonly rows?: number;
  readonly columns?: number;
  readonly bitsAllocated?: 8 | 16;
  /** Default: bitsAllocated. */
  readonly bitsStored?: number;
  /** Default: bitsStored - 1. */
  readonly highBit?: number;
  readonly pixelRepresentation?: 0 | 1;
  readonly photometric?: string;
  readonly samplesPerPixel?: number;
  readonly numberOfFrames?: number;
  /**
   * Stored values, rows * columns (times samples and frames). Default: a diagonal gradient over
   * the BitsStored range. Written in the high-bit position the header declares.
   */
  readonly pixels?: ArrayLike<number>;
  /** Raw Pixel Data bytes, written as given (overrides `pixels`); for malformed files. */
  readonly pixelBytes?: Uint8Array;
  /** Default 'explicit-le'. A UID string here needs `encapsulatedFrames`. */
  readonly transferSyntax?: NativeTransferSyntax | string;
  /** Encoded frames for an encapsulated transfer syntax; dcmjs splits each into 20 KiB fragments. */
  readonly encapsulatedFrames?: readonly Uint8Array[];
  /**
   * 'standard': preamble + DICM + meta. 'none': DICM + meta without the 128-byte preamble.
   * 'no-meta': the bare data set (only for implicit-le and explicit-le).
   */
  readonly preamble?: 'standard' | 'none' | 'no-meta';

  // Identity
  readonly patientId?: string;
  readonly patientName?: string;
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyInstanceUid?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyDescription?: string;
  readonly accessionNumber?: string;
  readonly seriesInstanceUid?: string;
  readonly seriesNumber?: number;
  readonly sopInstanceUid?: string;
  /** Default Digital Mammography X-Ray Image Storage - For Presentation. */
  readonly sopClassUid?: string;
  readonly instanceNumber?: number;
  readonly manufacturer?: string;

  // Mammography
  /** Modality (0008,0060); default 'MG'. */
  readonly modality?: string;
  /** ImageLaterality (0020,0062). */
  readonly imageLaterality?: string;
  /** Laterality (0020,0060), the series-level one some older files carry instead. */
  readonly laterality?: string;
  /** ViewPosition (0018,5101), e.g. CC, MLO. */
  readonly viewPosition?: string;
  /** ViewCodeSequence item, e.g. { value: '399162004', scheme: 'SCT', meaning: 'cranio-caudal' }. */
  readonly viewCode?: { readonly value: string; readonly scheme: string; readonly meaning?: string };
  /** PresentationIntentType (0008,0068): 'FOR PRESENTATION' or 'FOR PROCESSING'. */
  readonly presentationIntent?: string;
  readonly bodyPartExamined?: string;
  /** PixelSpacing (0028,0030) in mm, [row, column]. */
  readonly pixelSpacing?: readonly [number, number];
  /** ImagerPixelSpacing (0018,1164) in mm, [row, column]. */
  readonly imagerPixelSpacing?: readonly [number, number];

  // Display
  readonly rescale?: { readonly slope: number; readonly intercept: number; readonly type?: string };
  readonly modalityLut?: SyntheticLut;
  readonly windowCenter?: number | readonly number[];
  readonly windowWidth?: number | readonly number[];
  readonly windowExplanation?: string | readonly string[];
  readonly voiLutFunction?: string;
  readonly voiLutSequence?: readonly SyntheticLut[];

  /** More attributes by dcmjs keyword, e.g. `{ BreastImplantPresent: 'NO' }`; add `_vrMap` for odd VRs. */
  readonly extra?: Record<string, unknown>;
  /** Keywords to leave out, e.g. ['PixelData'] or ['WindowCenter', 'WindowWidth']. */
  readonly omit?: readonly string[];
}

const MG_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.2';

let uidCounter = 0;
/** A fresh UID under a test-only root, unique within the process. */
export function testUid(): string {
  uidCounter += 1;
  return `2.25.${process.pid}${Date.now() % 1_000_000}${uidCounter}`;
}

/** A diagonal ramp over the representable stored range, useful as default content. */
export function gradientPixels(
  rows: number,
  columns: number,
  bitsStored: number,
  pixelRepresentation: 0 | 1 = 0,
): number[] {
  const min = pixelRepresentation === 1 ? -(2 ** (bitsStored - 1)) : 0;
  const max = pixelRepresentation === 1 ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
  const span = Math.max(1, rows + columns - 2);
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) values.push(Math.round(min + ((max - min) * (r + c)) / span));
  }
  return values;
}

/**
 * Packs stored values into native Pixel Data bytes: each value masked to BitsStored, shifted to
 * HighBit, in the given byte order.
 */
export function packPixels(
  values: ArrayLike<number>,
  layout: { bitsAllocated: 8 | 16; bitsStored: number; highBit: number },
  littleEndian = true,
): Uint8Array {
  const { bitsAllocated, bitsStored, highBit } = layout;
  const shift = highBit + 1 - bitsStored;
  const mask = 2 ** bitsStored - 1;
  const bytesPerValue = bitsAllocated / 8;
  const out = new Uint8Array(values.length * bytesPerValue + ((values.length * bytesPerValue) % 2));
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const word = ((values[i] ?? 0) & mask) << shift;
    if (bytesPerValue === 1) out[i] = word;
    else view.setUint16(i * 2, word, littleEndian);
  }
  return out;
}

function lutItem(lut: SyntheticLut): Record<string, unknown> {
  const entries = lut.entries ?? lut.data.length;
  const signed = lut.firstMapped < 0;
  return {
    LUTDescriptor: [entries === 65536 ? 0 : entries, lut.firstMapped, lut.bitsPerEntry],
    LUTData: [...lut.data],
    ...(lut.explanation ? { LUTExplanation: lut.explanation } : {}),
    _vrMap: { LUTDescriptor: signed ? 'SS' : 'US', LUTData: 'US' },
  };
}

const asArray = <T>(v: T | readonly T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? [...(v as readonly T[])] : [v as T];

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Writes a synthetic single-image DICOM Part 10 file (or a variant, see `preamble`).
 *
 * @returns the file's bytes.
 */
export function writeSyntheticDicom(options: SyntheticDicomOptions = {}): Buffer {
  const rows = options.rows ?? 16;
  const columns = options.columns ?? 16;
  const bitsAllocated = options.bitsAllocated ?? 16;
  const bitsStored = options.bitsStored ?? bitsAllocated;
  const highBit = options.highBit ?? bitsStored - 1;
  const pixelRepresentation = options.pixelRepresentation ?? 0;
  const syntaxOption = options.transferSyntax ?? 'explicit-le';
  const nativeSyntax =
    syntaxOption in TRANSFER_SYNTAX_UIDS ? (syntaxOption as NativeTransferSyntax) : undefined;
  const transferSyntaxUid = nativeSyntax ? TRANSFER_SYNTAX_UIDS[nativeSyntax] : syntaxOption;
  if (!nativeSyntax && !options.encapsulatedFrames) {
    throw new Error(`writeSyntheticDicom: transfer syntax ${syntaxOption} needs encapsulatedFrames`);
  }
  const littleEndian = nativeSyntax !== 'explicit-be';
  const sopClassUid = options.sopClassUid ?? MG_FOR_PRESENTATION;
  const sopInstanceUid = options.sopInstanceUid ?? testUid();

  let pixelData: ArrayBuffer[];
  let pixelVr: 'OB' | 'OW';
  if (options.encapsulatedFrames) {
    pixelData = options.encapsulatedFrames.map(toArrayBuffer);
    pixelVr = 'OB';
  } else {
    const bytes =
      options.pixelBytes ??
      packPixels(
        options.pixels ?? gradientPixels(rows, columns, bitsStored, pixelRepresentation),
        { bitsAllocated, bitsStored, highBit },
        littleEndian,
      );
    pixelData = [toArrayBuffer(bytes)];
    pixelVr = bitsAllocated === 8 ? 'OB' : 'OW';
  }

  const windowCenter = asArray(options.windowCenter);
  const windowWidth = asArray(options.windowWidth);
  const windowExplanation = asArray(options.windowExplanation);
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: options.studyDate ?? '20240102',
    StudyTime: options.studyTime ?? '101500',
    AccessionNumber: options.accessionNumber ?? '',
    Modality: options.modality ?? 'MG',
    Manufacturer: options.manufacturer ?? 'SYNTHETIC',
    StudyDescription: options.studyDescription ?? 'Synthetic mammogram',
    PatientName: options.patientName ?? 'TEST^PATIENT',
    PatientID: options.patientId ?? 'TEST-0001',
    PatientBirthDate: options.patientBirthDate ?? '19700101',
    PatientSex: options.patientSex ?? 'F',
    StudyInstanceUID: options.studyInstanceUid ?? testUid(),
    SeriesInstanceUID: options.seriesInstanceUid ?? testUid(),
    SeriesNumber: options.seriesNumber ?? 1,
    InstanceNumber: options.instanceNumber ?? 1,
    SamplesPerPixel: options.samplesPerPixel ?? 1,
    PhotometricInterpretation: options.photometric ?? 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: bitsAllocated,
    BitsStored: bitsStored,
    HighBit: highBit,
    PixelRepresentation: pixelRepresentation,
    PixelData: pixelData,
    _vrMap: { PixelData: pixelVr },
  };
  const optional: Record<string, unknown> = {
    NumberOfFrames: options.numberOfFrames,
    PresentationIntentType: options.presentationIntent,
    BodyPartExamined: options.bodyPartExamined,
    ViewPosition: options.viewPosition,
    Laterality: options.laterality,
    ImageLaterality: options.imageLaterality,
    PixelSpacing: options.pixelSpacing ? [...options.pixelSpacing] : undefined,
    ImagerPixelSpacing: options.imagerPixelSpacing ? [...options.imagerPixelSpacing] : undefined,
    ViewCodeSequence: options.viewCode
      ? [
          {
            CodeValue: options.viewCode.value,
            CodingSchemeDesignator: options.viewCode.scheme,
            ...(options.viewCode.meaning ? { CodeMeaning: options.viewCode.meaning } : {}),
          },
        ]
      : undefined,
    RescaleSlope: options.rescale?.slope,
    RescaleIntercept: options.rescale?.intercept,
    RescaleType: options.rescale?.type,
    ModalityLUTSequence: options.modalityLut ? [lutItem(options.modalityLut)] : undefined,
    WindowCenter: windowCenter,
    WindowWidth: windowWidth,
    WindowCenterWidthExplanation: windowExplanation,
    VOILUTFunction: options.voiLutFunction,
    VOILUTSequence: options.voiLutSequence?.map((l) => lutItem(l)),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) dataset[key] = value;
  Object.assign(dataset, options.extra ?? {});
  const omitted = new Set(options.omit ?? []);
  const written = Object.fromEntries(Object.entries(dataset).filter(([key]) => !omitted.has(key)));

  const writeSyntax =
    nativeSyntax === 'deflated-le' ? TRANSFER_SYNTAX_UIDS['explicit-le'] : transferSyntaxUid;
  let file = writePart10(written, sopClassUid, sopInstanceUid, writeSyntax);
  if (nativeSyntax === 'deflated-le') {
    // dcmjs cannot deflate (it would write big endian), so deflate its explicit LE data set here.
    const header = writePart10({}, sopClassUid, sopInstanceUid, transferSyntaxUid);
    file = concat(header, deflateRawSync(file.subarray(part10HeaderLength(file))));
  }
  switch (options.preamble ?? 'standard') {
    case 'standard':
      return Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    case 'none':
      return Buffer.from(file.subarray(128));
    case 'no-meta':
      if (nativeSyntax !== 'implicit-le' && nativeSyntax !== 'explicit-le') {
        throw new Error('writeSyntheticDicom: a bare data set must be implicit-le or explicit-le');
      }
      return Buffer.from(file.subarray(part10HeaderLength(file)));
  }
}

function writePart10(
  dataset: Record<string, unknown>,
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntaxUid: string,
): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: '2.25.1234567890',
    ImplementationVersionName: 'MAMMO_TEST',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** Preamble + DICM + the meta group, whose length (0002,0000) is the first element after DICM. */
export function part10HeaderLength(file: Uint8Array): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  return 132 + 12 + view.getUint32(132 + 8, true);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
