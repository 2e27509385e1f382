/**
 * A training sample's pixels: a scan's 8-bit display image and a mask, resampled together to the
 * sample's size and packed into one RGB PNG (scan in R, mask in G, B black). Pure, so that it runs
 * in the decode worker: a full-field scan is 13 megapixels to decode, resample and deflate.
 */
import { encode } from 'fast-png';
import { decodeImageFile } from './decodeImage.js';
import { resizeBilinear } from './resample.js';

/** A training sample in memory: the 8-bit scan and its mask (0 or 255), same size. */
export interface RgbSample {
  rows: number;
  columns: number;
  scan: Uint8Array;
  mask: Uint8Array;
}

/** A sample as it is stored: its PNG and how many of its pixels the mask sets. */
export interface EncodedSample {
  readonly png: Uint8Array;
  readonly positivePixels: number;
}

/** The published format: one RGB PNG, scan in R, mask in G (255 inside), B black. */
export function encodeRgbSample({ rows, columns, scan, mask }: RgbSample): Uint8Array {
  const data = new Uint8Array(rows * columns * 3);
  for (let i = 0; i < rows * columns; i++) {
    data[i * 3] = scan[i]!;
    data[i * 3 + 1] = mask[i]! > 0 ? 255 : 0;
  }
  return encode({ width: columns, height: rows, data, channels: 3, depth: 8 });
}

/**
 * Resamples a scan and its full-resolution mask (> 0 inside) to `sampleRows` x `sampleColumns`
 * (bilinear; the mask is set where it resamples to at least half) and encodes the sample.
 */
export function encodeScanSample(
  scan: Uint8Array,
  mask: Uint8Array,
  rows: number,
  columns: number,
  sampleRows: number,
  sampleColumns: number,
): EncodedSample {
  if (scan.length !== rows * columns || mask.length !== rows * columns) {
    throw new Error(`sample: the scan (${scan.length}) and mask (${mask.length}) are not ${columns}x${rows}`);
  }
  const binary = mask.map((v) => (v > 0 ? 255 : 0));
  const sample: RgbSample = {
    rows: sampleRows,
    columns: sampleColumns,
    scan: resizeBilinear(scan, rows, columns, sampleRows, sampleColumns),
    mask: resizeBilinear(binary, rows, columns, sampleRows, sampleColumns).map((v) => (v >= 128 ? 255 : 0)),
  };
  return {
    png: encodeRgbSample(sample),
    positivePixels: sample.mask.reduce((n, v) => n + (v ? 1 : 0), 0),
  };
}

/** {@link encodeScanSample} of a scan file's display image (decoded with its default VOI). */
export async function encodeScanSampleFile(
  filePath: string,
  mask: Uint8Array,
  sampleRows: number,
  sampleColumns: number,
): Promise<EncodedSample> {
  const { display, rows, columns } = await decodeImageFile(filePath);
  return encodeScanSample(display, mask, rows, columns, sampleRows, sampleColumns);
}
