import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/**
 * The decoder's final level shift and clamp, written for 8-bit samples and scaled to other
 * precisions through `bitConversion`. Scaling the 8-bit constants is wrong above 8 bits: for 12-bit
 * data it adds 2063.5 instead of 2048.5, so every sample comes out 15 too bright and the top 16
 * codes collapse into 4095 (seen as a +15 mean offset against the JPEG 2000 copy of the same film).
 */
const LEVEL_SHIFT = new RegExp(
  [
    'q\\s*=\\s*q\\s*<=\\s*-2056\\s*/\\s*component\\.bitConversion\\s*',
    '\\?\\s*0\\s*:\\s*q\\s*>=\\s*2024\\s*/\\s*component\\.bitConversion\\s*',
    '\\?\\s*255\\s*/\\s*component\\.bitConversion\\s*',
    ':\\s*\\(q\\s*\\+\\s*2056\\s*/\\s*component\\.bitConversion\\)\\s*>>\\s*4\\s*;',
  ].join(''),
);

/**
 * T.81 level shift for any precision P: samples are 16x scaled around 2^(P-1); add the shift
 * plus half a step, then clamp to 0 .. 2^P - 1. Identical to the original for P = 8.
 */
const LEVEL_SHIFT_FIXED = `q = __mammoLevelShift(q, component.bitConversion);`;
const LEVEL_SHIFT_HELPER = `
function __mammoLevelShift(q, bitConversion) {
  var max = Math.round(255 / bitConversion);
  var half = (max + 1) / 2;
  var low = 16 * half + 8;
  return q <= -low ? 0 : q >= 16 * (max - half) - 8 ? max : (q + low) >> 4;
}
`;

let jpegImageClass: Promise<JpegImageConstructor> | undefined;

/**
 * Loads `JpegImage` from dicom-image-loader's `dist/esm/codecs/jpeg.js`. The package's exports map
 * hides that file, so it is located next to the package entry point, and its level shift is
 * corrected (see {@link LEVEL_SHIFT}) before it is evaluated from a `data:` URL; the module has no
 * imports, so it runs the same from there. If a later release rewrites that code the file is used
 * as shipped, and the 12-bit tests tell whether the bug went with it.
 */
function load(): Promise<JpegImageConstructor> {
  jpegImageClass ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@cornerstonejs/dicom-image-loader');
    const source = await readFile(join(dirname(entry), 'codecs', 'jpeg.js'), 'utf8');
    const patched = LEVEL_SHIFT.test(source)
      ? source.replace(LEVEL_SHIFT, LEVEL_SHIFT_FIXED) + LEVEL_SHIFT_HELPER
      : source;
    const url = `data:text/javascript;base64,${Buffer.from(patched).toString('base64')}`;
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
