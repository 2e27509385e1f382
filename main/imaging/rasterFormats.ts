import { decode as decodePngData, hasPngSignature } from 'fast-png';
import { ImageDecodeError, describeThrown } from './errors.js';

/** A grayscale raster from a non-DICOM file; samples run 0 .. maxval. */
export interface RasterImage {
  readonly format: 'png' | 'pgm';
  readonly width: number;
  readonly height: number;
  /** Largest possible sample value: PGM's maxval, or 2^depth - 1 for PNG. */
  readonly maxval: number;
  readonly bitDepth: number;
  readonly samples: Uint8Array | Uint16Array;
}

/** True for a PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && hasPngSignature(bytes);
}

/** True for a binary (P5) or plain (P2) PGM header. */
export function isPgm(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 3 && bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32) && isSpace(bytes[2])
  );
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}

/**
 * Decodes a grayscale PNG of any bit depth. Colour PNGs are accepted only when every pixel is gray
 * (R = G = B), which is how many datasets ship mammograms; alpha is ignored.
 *
 * @throws ImageDecodeError `invalid-raster` for a corrupt file, `unsupported-image` for real colour.
 */
export function decodePng(bytes: Uint8Array, fileName?: string): RasterImage {
  let png: ReturnType<typeof decodePngData>;
  try {
    png = decodePngData(bytes);
  } catch (thrown) {
    throw new ImageDecodeError('invalid-raster', `invalid PNG: ${describeThrown(thrown)}`, fileName, {
      cause: thrown,
    });
  }
  const { width, height, depth, channels } = png;
  const pixelCount = width * height;
  if (png.palette) {
    const palette = png.palette;
    if (!palette.every((entry) => entry[0] === entry[1] && entry[1] === entry[2])) {
      throw new ImageDecodeError(
        'unsupported-image',
        'colour images are not supported (palette PNG)',
        fileName,
      );
    }
    const indexes = unpackSamples(png.data, width, height, depth);
    const samples = new Uint8Array(pixelCount);
    for (let i = 0; i < pixelCount; i++) samples[i] = palette[indexes[i] ?? 0]?.[0] ?? 0;
    return { format: 'png', width, height, maxval: 255, bitDepth: 8, samples };
  }
  const maxval = 2 ** depth - 1;
  if (channels <= 2) {
    const all = depth < 8 ? unpackSamples(png.data, width, height, depth) : png.data;
    const samples = depth === 16 ? new Uint16Array(pixelCount) : new Uint8Array(pixelCount);
    for (let i = 0; i < pixelCount; i++) samples[i] = all[i * channels] ?? 0;
    return { format: 'png', width, height, maxval, bitDepth: depth, samples };
  }
  const samples = depth === 16 ? new Uint16Array(pixelCount) : new Uint8Array(pixelCount);
  const data = png.data;
  for (let i = 0, p = 0; i < pixelCount; i++, p += channels) {
    const r = data[p] ?? 0;
    if (r !== data[p + 1] || r !== data[p + 2]) {
      throw new ImageDecodeError(
        'unsupported-image',
        `colour images are not supported (PNG with ${channels} channels)`,
        fileName,
      );
    }
    samples[i] = r;
  }
  return { format: 'png', width, height, maxval, bitDepth: depth, samples };
}

/** fast-png leaves 1/2/4-bit rows packed (rows padded to a byte); spread them to one sample per byte. */
function unpackSamples(
  data: ArrayLike<number>,
  width: number,
  height: number,
  depth: number,
): ArrayLike<number> {
  if (depth >= 8) return data;
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)] ?? 0;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/**
 * Decodes a PGM: binary P5 (the mini-MIAS format) or plain-text P2, maxval up to 65535. Binary
 * samples above 255 are two bytes, most significant first, as Netpbm specifies. Only the first
 * image of a multi-image file is read.
 *
 * @throws ImageDecodeError `invalid-raster` for a malformed header or short data.
 */
export function decodePgm(bytes: Uint8Array, fileName?: string): RasterImage {
  const fail = (reason: string): never => {
    throw new ImageDecodeError('invalid-raster', `invalid PGM: ${reason}`, fileName);
  };
  if (!isPgm(bytes)) fail('missing P5/P2 magic number');
  const plain = bytes[1] === 0x32;
  let pos = 2;
  const readToken = (): string => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos])) pos++;
      if (bytes[pos] !== 0x23) break; // '#' comment to end of line
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
    }
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos]) && bytes[pos] !== 0x23) pos++;
    return String.fromCharCode(...bytes.subarray(start, pos));
  };
  const readInt = (name: string): number => {
    const token = readToken();
    if (!/^\d+$/.test(token)) fail(`bad ${name} '${token}'`);
    return Number(token);
  };
  const width = readInt('width');
  const height = readInt('height');
  const maxval = readInt('maxval');
  if (width === 0 || height === 0) fail(`empty image ${width}x${height}`);
  if (maxval < 1 || maxval > 65535) fail(`maxval ${maxval} outside 1..65535`);
  const count = width * height;
  const samples = maxval > 255 ? new Uint16Array(count) : new Uint8Array(count);
  if (plain) {
    for (let i = 0; i < count; i++) samples[i] = Math.min(readInt('sample'), maxval);
    return { format: 'pgm', width, height, maxval, bitDepth: Math.ceil(Math.log2(maxval + 1)), samples };
  }
  pos += 1; // exactly one whitespace byte separates the header from the raster
  const bytesPerSample = maxval > 255 ? 2 : 1;
  const needed = count * bytesPerSample;
  if (bytes.length - pos < needed)
    fail(`truncated data (expected ${needed} bytes, found ${bytes.length - pos})`);
  if (bytesPerSample === 1) {
    samples.set(bytes.subarray(pos, pos + count));
  } else {
    for (let i = 0; i < count; i++)
      samples[i] = ((bytes[pos + 2 * i] ?? 0) << 8) | (bytes[pos + 2 * i + 1] ?? 0);
  }
  return { format: 'pgm', width, height, maxval, bitDepth: Math.ceil(Math.log2(maxval + 1)), samples };
}
