import { decode } from 'fast-png';
import type { RgbSample } from '../imaging/scanSample.js';

// The format is written in imaging (scanSample), where the decode worker encodes it.
export { encodeRgbSample, type RgbSample } from '../imaging/scanSample.js';

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
