import { decode, encode } from 'fast-png';

/** A training sample in memory: the 8-bit scan and its mask (0 or 255), same size. */
export interface RgbSample {
  rows: number;
  columns: number;
  scan: Uint8Array;
  mask: Uint8Array;
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

/** Reads an RGB training PNG back; the mask is G > 0. */
export function decodeRgbSample(png: Uint8Array, fileName = 'sample'): RgbSample {
  const image = decode(png);
  if (image.depth !== 8 || image.channels < 3) {
    throw new Error(
      `${fileName}: not an 8-bit RGB training sample (${image.channels} channels, ${image.depth}-bit)`,
    );
  }
  const { width: columns, height: rows, channels } = image;
  const scan = new Uint8Array(rows * columns);
  const mask = new Uint8Array(rows * columns);
  for (let i = 0; i < rows * columns; i++) {
    scan[i] = image.data[i * channels]!;
    mask[i] = image.data[i * channels + 1]! > 0 ? 255 : 0;
  }
  return { rows, columns, scan, mask };
}
