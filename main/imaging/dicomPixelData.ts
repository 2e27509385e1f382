import type { DataSet, Element } from 'dicom-parser';
import { ImageDecodeError } from './errors.js';
import { MAX_IMAGE_DIMENSION, MAX_IMAGE_PIXELS } from './limits.js';
import {
  describeTransferSyntax,
  getTransferSyntax,
  normalizeUid,
  type TransferSyntaxInfo,
} from './transferSyntax.js';

/** Image Pixel Module attributes (PS3.3 C.7.6.3) that the pipeline needs. */
export interface PixelModule {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: 'MONOCHROME1' | 'MONOCHROME2';
  readonly bitsAllocated: 8 | 16;
  readonly bitsStored: number;
  readonly highBit: number;
  /** 0 unsigned, 1 two's complement. */
  readonly pixelRepresentation: 0 | 1;
  readonly numberOfFrames: number;
}

/** The one frame of a single-frame grayscale image, still in its transfer syntax's encoding. */
export interface DicomPixelData {
  readonly transferSyntax: TransferSyntaxInfo;
  readonly pixelModule: PixelModule;
  /**
   * Native syntaxes: exactly the frame's bytes (a view into the file, not a copy). Encapsulated
   * syntaxes: the frame's fragments joined into one codestream.
   */
  readonly frame: Uint8Array;
  /**
   * Encapsulated data without a sequence delimiter: either a sloppy writer or a file cut off
   * between two fragments. Only a failing decode tells which.
   */
  readonly unterminated: boolean;
}

const PIXEL_DATA = 'x7fe00010';

function requiredUint16(ds: DataSet, tag: string, name: string, fileName?: string): number {
  const value = ds.uint16(tag);
  if (value === undefined)
    throw new ImageDecodeError('invalid-dicom', `missing ${name} ${tagLabel(tag)}`, fileName);
  return value;
}

function tagLabel(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()})`;
}

/**
 * Reads and validates the Image Pixel Module. Only what the pipeline can display passes: one
 * frame, one sample per pixel, MONOCHROME1/2, BitsAllocated 8 or 16.
 *
 * @throws ImageDecodeError `unsupported-image` for colour, multi-frame or odd bit depths,
 * `invalid-dicom` for missing or contradictory attributes.
 */
export function readPixelModule(ds: DataSet, fileName?: string): PixelModule {
  const rows = requiredUint16(ds, 'x00280010', 'Rows', fileName);
  const columns = requiredUint16(ds, 'x00280011', 'Columns', fileName);
  if (rows === 0 || columns === 0) {
    throw new ImageDecodeError('invalid-dicom', `empty image (${rows} rows x ${columns} columns)`, fileName);
  }
  if (rows > MAX_IMAGE_DIMENSION || columns > MAX_IMAGE_DIMENSION || rows * columns > MAX_IMAGE_PIXELS) {
    throw new ImageDecodeError(
      'unsupported-image',
      `${columns} x ${rows} pixels is larger than any mammography detector (at most ${MAX_IMAGE_DIMENSION} per side and ${MAX_IMAGE_PIXELS / (1024 * 1024)} megapixels)`,
      fileName,
    );
  }
  const samplesPerPixel = ds.uint16('x00280002') ?? 1;
  const photometric = (ds.string('x00280004') ?? 'MONOCHROME2').trim().toUpperCase();
  if (samplesPerPixel !== 1 || (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')) {
    throw new ImageDecodeError(
      'unsupported-image',
      `colour images are not supported (PhotometricInterpretation ${photometric}, SamplesPerPixel ${samplesPerPixel})`,
      fileName,
    );
  }
  const numberOfFrames = ds.intString('x00280008') ?? 1;
  if (numberOfFrames > 1) {
    throw new ImageDecodeError(
      'unsupported-image',
      `multi-frame images are not supported (NumberOfFrames ${numberOfFrames})`,
      fileName,
    );
  }
  const bitsAllocated = requiredUint16(ds, 'x00280100', 'BitsAllocated', fileName);
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new ImageDecodeError(
      'unsupported-image',
      `BitsAllocated ${bitsAllocated} is not supported (8 or 16)`,
      fileName,
    );
  }
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  const highBit = ds.uint16('x00280102') ?? bitsStored - 1;
  if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    throw new ImageDecodeError(
      'invalid-dicom',
      `inconsistent bit depths (BitsAllocated ${bitsAllocated}, BitsStored ${bitsStored}, HighBit ${highBit})`,
      fileName,
    );
  }
  const pixelRepresentation = ds.uint16('x00280103') ?? 0;
  return {
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation: photometric,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: pixelRepresentation === 1 ? 1 : 0,
    numberOfFrames,
  };
}

/**
 * Locates the pixel data of a parsed single-frame grayscale DICOM image and checks that it is all
 * there.
 *
 * @param transferSyntaxUid - as `parseDicomBytes` reports it (bare data sets have no meta header).
 * @param partial - the parse stopped early, so encapsulated data may have lost whole fragments.
 * @throws ImageDecodeError `unsupported-transfer-syntax`, `no-pixel-data`, `truncated-pixel-data`,
 * plus whatever {@link readPixelModule} throws.
 */
export function extractPixelData(
  ds: DataSet,
  transferSyntaxUid: string,
  fileName?: string,
  partial = false,
): DicomPixelData {
  const uid = normalizeUid(transferSyntaxUid);
  const transferSyntax = getTransferSyntax(uid);
  if (transferSyntax === undefined) {
    throw new ImageDecodeError(
      'unsupported-transfer-syntax',
      `unsupported transfer syntax ${describeTransferSyntax(uid)}`,
      fileName,
    );
  }
  const element = ds.elements[PIXEL_DATA];
  if (element === undefined) {
    const what =
      ds.elements['x7fe00008'] || ds.elements['x7fe00009'] ? ' (float pixel data is not supported)' : '';
    throw new ImageDecodeError('no-pixel-data', `no pixel data${what}`, fileName);
  }
  const pixelModule = readPixelModule(ds, fileName);
  const encapsulated = transferSyntax.encoding !== 'native';
  const frame = encapsulated
    ? joinFragments(ds, element, partial, fileName)
    : nativeFrame(ds, element, pixelModule, fileName);
  const unterminated =
    encapsulated &&
    ds.warnings.some((w) => w.includes('x7fe00010') && w.includes('missing sequence delimiter'));
  return { transferSyntax, pixelModule, frame, unterminated };
}

/** Bytes one native frame occupies. */
export function nativeFrameLength(
  module: Pick<PixelModule, 'rows' | 'columns' | 'bitsAllocated' | 'samplesPerPixel'>,
): number {
  return (module.rows * module.columns * module.samplesPerPixel * module.bitsAllocated) / 8;
}

function nativeFrame(ds: DataSet, element: Element, module: PixelModule, fileName?: string): Uint8Array {
  if (element.encapsulatedPixelData) {
    throw new ImageDecodeError(
      'invalid-dicom',
      'encapsulated pixel data in a native transfer syntax',
      fileName,
    );
  }
  const expected = nativeFrameLength(module);
  const available = Math.max(0, Math.min(element.length, ds.byteArray.length - element.dataOffset));
  if (element.length === 0) {
    throw new ImageDecodeError('no-pixel-data', 'no pixel data (empty Pixel Data element)', fileName);
  }
  if (available < expected) {
    throw new ImageDecodeError(
      'truncated-pixel-data',
      `truncated pixel data (expected ${expected} bytes, found ${available})`,
      fileName,
    );
  }
  return ds.byteArray.subarray(element.dataOffset, element.dataOffset + expected);
}

/** A single frame may be split over any number of fragments; its codestream is their concatenation. */
function joinFragments(ds: DataSet, element: Element, partial: boolean, fileName?: string): Uint8Array {
  if (!element.encapsulatedPixelData) {
    throw new ImageDecodeError(
      'invalid-dicom',
      'native pixel data in an encapsulated transfer syntax',
      fileName,
    );
  }
  const fragments = element.fragments ?? [];
  const nonEmpty = fragments.filter((f) => f.length > 0);
  if (nonEmpty.length === 0)
    throw new ImageDecodeError('no-pixel-data', 'no pixel data (no fragments)', fileName);
  const bytes = ds.byteArray;
  const expected = nonEmpty.reduce((sum, f) => sum + f.length, 0);
  const found = nonEmpty.reduce(
    (sum, f) => sum + Math.max(0, Math.min(f.length, bytes.length - f.position)),
    0,
  );
  if (found < expected) {
    throw new ImageDecodeError(
      'truncated-pixel-data',
      `truncated pixel data (expected ${expected} bytes of fragments, found ${found})`,
      fileName,
    );
  }
  if (partial) {
    throw new ImageDecodeError(
      'truncated-pixel-data',
      'truncated pixel data (the file ends inside its fragments)',
      fileName,
    );
  }
  const [only] = nonEmpty;
  if (nonEmpty.length === 1 && only !== undefined)
    return bytes.subarray(only.position, only.position + only.length);
  const joined = new Uint8Array(expected);
  let offset = 0;
  for (const f of nonEmpty) {
    joined.set(bytes.subarray(f.position, f.position + f.length), offset);
    offset += f.length;
  }
  return joined;
}
