/**
 * Pixel pipeline: decode DICOM/PNG/PGM to stored values and an 8-bit display image.
 * Import from here rather than from the individual modules.
 */
export { decodeImage, decodeImageFile, decodeStoredValues } from './decodeImage.js';
export type { DecodedImage, DecodeOptions } from './decodeImage.js';
export { DecodePool } from './DecodePool.js';
export type { DecodePoolOptions } from './DecodePool.js';
export { ImageDecodeError } from './errors.js';
export type { ImageDecodeErrorCode } from './errors.js';
export {
  SUPPORTED_TRANSFER_SYNTAXES,
  describeTransferSyntax,
  getTransferSyntax,
  isSupportedTransferSyntax,
} from './transferSyntax.js';
export type { PixelEncoding, TransferSyntaxInfo } from './transferSyntax.js';
export { parseDicomBytes, sniffDicom } from './dicomFile.js';
export type { DicomLayout, ParsedDicom } from './dicomFile.js';
export { extractPixelData, readPixelModule } from './dicomPixelData.js';
export type { DicomPixelData, PixelModule } from './dicomPixelData.js';
export { readDisplayAttributes } from './dicomDisplayAttributes.js';
export type { DicomDisplayAttributes } from './dicomDisplayAttributes.js';
export { displayValue, modalityRange, renderDisplay } from './display.js';
export type { DisplayPipeline } from './display.js';
export { applyModality, IDENTITY_MODALITY } from './modality.js';
export type { ModalityTransform } from './modality.js';
export type { LookupTable } from './lut.js';
export {
  applyVoi,
  parseVoiLutFunction,
  selectVoi,
  windowLinear,
  windowLinearExact,
  windowSigmoid,
} from './voi.js';
export type {
  VoiCandidates,
  VoiLutFunction,
  VoiOptions,
  VoiPreference,
  VoiSource,
  VoiTransform,
  WindowSetting,
} from './voi.js';
export { decodePgm, decodePng, isPgm, isPng } from './rasterFormats.js';
export type { RasterImage } from './rasterFormats.js';
export type { StoredPixelArray } from './storedValues.js';
