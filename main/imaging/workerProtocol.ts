import type { DecodeCheck } from './decodeCheck.js';
import type { DecodedImage, DecodeOptions } from './decodeImage.js';
import type { PixelCounts } from '../evaluation/pixelMetrics.js';
import type { BinaryMaskReading } from './binaryMask.js';
import type { HeaderElement, RewrittenDicom } from './dicomHeaderRewrite.js';
import type { CheckedMask } from './maskPng.js';
import type { RescaledGray8 } from './rescaleGray8Rows.js';
import type { EncodedSample } from './scanSample.js';

/**
 * What {@link DecodePool} asks its worker: decode one file (or only check that it decodes), check a reader's mask PNG, encode a
 * training sample from a scan file and a mask, count a probability map's overlap with a mask,
 * rescale an 8-bit grey JPEG/PNG's rows to a PNG, read a mask file as a binary mask, or rewrite a
 * DICOM file's header.
 */
export type DecodeRequest =
  | { readonly kind: 'file'; readonly filePath: string; readonly options: DecodeOptions }
  | { readonly kind: 'check'; readonly filePath: string }
  | { readonly kind: 'mask'; readonly png: Uint8Array; readonly rows: number; readonly columns: number }
  | {
      readonly kind: 'sample';
      readonly filePath: string;
      readonly mask: Uint8Array;
      readonly sampleRows: number;
      readonly sampleColumns: number;
    }
  | { readonly kind: 'overlap'; readonly mapPath: string; readonly mask: Uint8Array; readonly level: number }
  | { readonly kind: 'rescaleRows'; readonly bytes: Uint8Array; readonly rowScale: number }
  | { readonly kind: 'binaryMask'; readonly filePath: string }
  | {
      readonly kind: 'rewriteHeader';
      readonly filePath: string;
      readonly elements: readonly HeaderElement[];
    };

/** What the worker answers, by request kind. */
export type DecodeResult =
  | DecodedImage
  | DecodeCheck
  | CheckedMask
  | EncodedSample
  | PixelCounts
  | RescaledGray8
  | BinaryMaskReading
  | RewrittenDicom;

/** A checked mask's buffers, to transfer rather than copy. */
export function transferableMask(checked: CheckedMask): { result: CheckedMask; transfer: ArrayBuffer[] } {
  return {
    result: checked,
    transfer: [checked.mask.buffer as ArrayBuffer, checked.png.buffer as ArrayBuffer],
  };
}

/**
 * Buffers to transfer rather than copy. Typed arrays that are views into a larger or shared buffer
 * are copied first, since transferring their buffer would hand over (and detach) more than the image.
 */
export function transferableImage(image: DecodedImage): { result: DecodedImage; transfer: ArrayBuffer[] } {
  const own = <T extends DecodedImage['stored'] | Uint8Array>(a: T): T =>
    a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer
      ? a
      : (a.slice() as T);
  const stored = own(image.stored);
  const display = own(image.display);
  const transfer = [stored.buffer as ArrayBuffer];
  if ((display.buffer as ArrayBuffer) !== stored.buffer) transfer.push(display.buffer as ArrayBuffer);
  return { result: { ...image, stored, display }, transfer };
}
