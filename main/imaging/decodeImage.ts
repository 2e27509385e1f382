import { decodeCompressedFrame, type DecodedFrame } from './codecs/index.js';
import { parseDicomBytes, sniffDicom } from './dicomFile.js';
import { readDisplayAttributes } from './dicomDisplayAttributes.js';
import { extractPixelData, type DicomPixelData } from './dicomPixelData.js';
import { modalityRange, renderDisplay, type DisplayPipeline } from './display.js';
import { ImageDecodeError, describeThrown } from './errors.js';
import { IDENTITY_MODALITY, type ModalityTransform } from './modality.js';
import { decodePgm, decodePng, isPgm, isPng, type RasterImage } from './rasterFormats.js';
import { readImageFile } from './readImageFile.js';
import { decodeRle } from './rle.js';
import { storedFromCodec, storedFromNative, storedRange, type StoredPixelArray } from './storedValues.js';
import { rangeWindow, selectVoi, type VoiCandidates, type VoiOptions, type VoiTransform } from './voi.js';

/** Options for {@link decodeImage}; all about display, the stored values never change. */
export type DecodeOptions = VoiOptions;

/** A decoded single-frame grayscale image: stored values plus the 8-bit rendering. */
export interface DecodedImage {
  readonly format: 'dicom' | 'png' | 'pgm';
  readonly rows: number;
  readonly columns: number;
  /** Stored pixel values (DICOM) or samples (PNG/PGM), row-major, rows * columns long. */
  readonly stored: StoredPixelArray;
  /** Smallest and largest value in `stored`. */
  readonly storedRange: { readonly min: number; readonly max: number };
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: 0 | 1;
  readonly photometric: 'MONOCHROME1' | 'MONOCHROME2';
  /** DICOM only. */
  readonly transferSyntaxUid?: string;
  /** DICOM Modality (0008,0060) when present. */
  readonly modality?: string;
  /** Stored value to modality value; identity for PNG/PGM. */
  readonly modalityTransform: ModalityTransform;
  /** Min/max modality values present, the basis of the min/max VOI fallback. */
  readonly modalityRange: { readonly min: number; readonly max: number };
  /** VOI candidates the file offered, so a viewer can switch between them without decoding again. */
  readonly voiCandidates: VoiCandidates;
  /** The VOI that produced `display`. */
  readonly voi: VoiTransform;
  /** rows * columns display levels, 0 black .. 255 white, MONOCHROME1 already inverted. */
  readonly display: Uint8Array;
}

const NO_VOI_CANDIDATES: VoiCandidates = { windows: [], voiLutFunction: 'LINEAR', voiLuts: [] };

/**
 * Decodes DICOM Part 10 (any supported transfer syntax), PNG or PGM bytes to stored values and an
 * 8-bit display image (modality transform, VOI, then MONOCHROME1 inversion).
 *
 * @param bytes - the whole file.
 * @param fileName - path or name used in error messages.
 * @throws ImageDecodeError with a message prefixed by the file's base name.
 */
export async function decodeImage(
  bytes: Uint8Array,
  fileName?: string,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  if (isPng(bytes)) return rasterToImage(decodePng(bytes, fileName), options);
  if (isPgm(bytes)) return rasterToImage(decodePgm(bytes, fileName), options);
  if (sniffDicom(bytes) === undefined) {
    throw new ImageDecodeError('unknown-format', 'not a DICOM, PNG or PGM image', fileName);
  }
  return decodeDicom(bytes, fileName, options);
}

/** Reads a file (refusing one larger than any mammogram) and {@link decodeImage}s it. */
export async function decodeImageFile(filePath: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  return decodeImage(await readImageFile(filePath), filePath, options);
}

async function decodeDicom(
  bytes: Uint8Array,
  fileName: string | undefined,
  options: DecodeOptions,
): Promise<DecodedImage> {
  const { dataSet: ds, transferSyntaxUid, partial } = parseDicomBytes(bytes, fileName);
  const pixelData = extractPixelData(ds, transferSyntaxUid, fileName, partial);
  const { pixelModule: pm, transferSyntax } = pixelData;
  let stored: StoredPixelArray;
  try {
    stored = await decodeStoredValues(pixelData, fileName);
  } catch (thrown) {
    if (pixelData.unterminated && thrown instanceof ImageDecodeError && thrown.code === 'codec-failed') {
      throw new ImageDecodeError(
        'truncated-pixel-data',
        `truncated pixel data (no sequence delimiter, and the fragments do not decode: ${thrown.reason})`,
        fileName,
        { cause: thrown },
      );
    }
    throw thrown;
  }
  const attributes = readDisplayAttributes(ds, pm.pixelRepresentation);
  const range = storedRange(stored);
  const mRange = modalityRange(range, attributes.modalityTransform);
  const voi = selectVoi(attributes, options, mRange);
  const pipeline: DisplayPipeline = {
    modality: attributes.modalityTransform,
    voi,
    invert: pm.photometricInterpretation === 'MONOCHROME1',
  };
  return {
    format: 'dicom',
    rows: pm.rows,
    columns: pm.columns,
    stored,
    storedRange: range,
    bitsAllocated: pm.bitsAllocated,
    bitsStored: pm.bitsStored,
    pixelRepresentation: pm.pixelRepresentation,
    photometric: pm.photometricInterpretation,
    transferSyntaxUid: transferSyntax.uid,
    ...(attributes.modality ? { modality: attributes.modality } : {}),
    modalityTransform: attributes.modalityTransform,
    modalityRange: mRange,
    voiCandidates: {
      windows: attributes.windows,
      voiLutFunction: attributes.voiLutFunction,
      voiLuts: attributes.voiLuts,
    },
    voi,
    display: renderDisplay(stored, range, pipeline),
  };
}

/**
 * Turns the frame of a DICOM image into stored values, whatever its encoding.
 *
 * @throws ImageDecodeError `codec-failed` when a codec rejects the frame or returns something
 * other than the Rows x Columns single-component image the header promises.
 */
export async function decodeStoredValues(
  pixelData: DicomPixelData,
  fileName?: string,
): Promise<StoredPixelArray> {
  const { transferSyntax, pixelModule: pm, frame } = pixelData;
  const expectedPixels = pm.rows * pm.columns;
  switch (transferSyntax.encoding) {
    case 'native':
      return storedFromNative(frame, pm, transferSyntax.littleEndian);
    case 'encapsulated-uncompressed':
    case 'rle': {
      let native: Uint8Array;
      try {
        native = transferSyntax.encoding === 'rle' ? decodeRle(frame, pm) : frame;
      } catch (thrown) {
        throw new ImageDecodeError('codec-failed', describeThrown(thrown), fileName, { cause: thrown });
      }
      const needed = (expectedPixels * pm.bitsAllocated) / 8;
      if (native.length < needed) {
        throw new ImageDecodeError(
          'truncated-pixel-data',
          `truncated pixel data (expected ${needed} bytes, found ${native.length})`,
          fileName,
        );
      }
      return storedFromNative(native.subarray(0, needed), pm, true);
    }
    default: {
      let decoded: DecodedFrame;
      try {
        decoded = await decodeCompressedFrame(transferSyntax.encoding, frame);
      } catch (thrown) {
        throw new ImageDecodeError(
          'codec-failed',
          `cannot decode ${transferSyntax.name} pixel data: ${describeThrown(thrown)}`,
          fileName,
          { cause: thrown },
        );
      }
      if (decoded.components !== 1) {
        throw new ImageDecodeError(
          'unsupported-image',
          `colour images are not supported (codestream has ${decoded.components} components)`,
          fileName,
        );
      }
      if (
        decoded.width !== pm.columns ||
        decoded.height !== pm.rows ||
        decoded.samples.length < expectedPixels
      ) {
        throw new ImageDecodeError(
          'codec-failed',
          `decoded frame is ${decoded.width}x${decoded.height}, header says ${pm.columns}x${pm.rows}`,
          fileName,
        );
      }
      const samples =
        decoded.samples.length === expectedPixels
          ? decoded.samples
          : decoded.samples.subarray(0, expectedPixels);
      return storedFromCodec({ ...decoded, samples }, pm);
    }
  }
}

function rasterToImage(raster: RasterImage, options: DecodeOptions): DecodedImage {
  const stored = raster.samples;
  const range = storedRange(stored);
  const modalityTransform = IDENTITY_MODALITY;
  const voi: VoiTransform = options.window
    ? selectVoi(NO_VOI_CANDIDATES, options, range)
    : rangeWindow(0, raster.maxval, 'maxval');
  return {
    format: raster.format,
    rows: raster.height,
    columns: raster.width,
    stored,
    storedRange: range,
    bitsAllocated: stored instanceof Uint16Array ? 16 : 8,
    bitsStored: raster.bitDepth,
    pixelRepresentation: 0,
    photometric: 'MONOCHROME2',
    modalityTransform,
    modalityRange: range,
    voiCandidates: NO_VOI_CANDIDATES,
    voi,
    display: renderDisplay(stored, range, { modality: modalityTransform, voi, invert: false }),
  };
}
