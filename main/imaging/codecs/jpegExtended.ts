import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DecodedFrame } from './types.js';

/** The subset of dicom-image-loader's pure-JS `JpegImage` (a pdf.js descendant) used here. */
interface JpegImage {
  parse(data: Uint8Array): void;
  width: number;
  height: number;
  components: unknown[];
  colorTransform?: boolean;
  getData(width: number, height: number): Uint8Array;
  getData16(width: number, height: number): Uint16Array;
}

type JpegImageConstructor = new () => JpegImage;

let jpegImageClass: Promise<JpegImageConstructor> | undefined;

/**
 * dicom-image-loader does not export its codecs directory, so the file is located next to the
 * package entry point and imported by URL, which the exports map does not police.
 */
function load(): Promise<JpegImageConstructor> {
  jpegImageClass ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@cornerstonejs/dicom-image-loader');
    const url = pathToFileURL(join(dirname(entry), 'codecs', 'jpeg.js')).href;
    const module = (await import(url)) as { default: JpegImageConstructor };
    return module.default;
  })();
  jpegImageClass.catch(() => (jpegImageClass = undefined));
  return jpegImageClass;
}

/**
 * Decodes a DCT JPEG of up to 12-bit precision (transfer syntax .4.51, Process 2 & 4) in pure
 * JavaScript; libjpeg-turbo's 8-bit build cannot read 12-bit codestreams.
 *
 * @param precision - sample precision from the SOF segment; above 8 selects 16-bit output.
 */
export async function decodeJpeg12Bit(encoded: Uint8Array, precision: number): Promise<DecodedFrame> {
  const JpegImageClass = await load();
  const image = new JpegImageClass();
  image.parse(encoded);
  image.colorTransform = false;
  const samples =
    precision > 8 ? image.getData16(image.width, image.height) : image.getData(image.width, image.height);
  return {
    samples,
    width: image.width,
    height: image.height,
    bitsPerSample: precision,
    components: image.components.length,
    signed: false,
  };
}
