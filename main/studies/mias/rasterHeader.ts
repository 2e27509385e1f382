export interface RasterHeader {
  format: 'png' | 'pgm';
  rows: number;
  columns: number;
  bitDepth: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads the size of a grayscale PNG or binary PGM without decoding it; throws naming the problem. */
export function readRasterHeader(bytes: Uint8Array): RasterHeader {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return readPngHeader(bytes);
  if (bytes[0] === 0x50 && bytes[1] === 0x35) return readPgmHeader(bytes);
  throw new Error('not a PNG or binary PGM (P5) image');
}

function readPngHeader(bytes: Uint8Array): RasterHeader {
  if (bytes.length < 33) throw new Error('truncated PNG header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const columns = view.getUint32(16);
  const rows = view.getUint32(20);
  const bitDepth = bytes[24] ?? 0;
  const colourType = bytes[25];
  if (colourType !== 0) throw new Error(`PNG colour type ${colourType} is not grayscale`);
  return { format: 'png', rows, columns, bitDepth };
}

function readPgmHeader(bytes: Uint8Array): RasterHeader {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString('latin1')
    .replace(/#[^\n]*\n/g, ' ');
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!match) throw new Error('malformed PGM header');
  const [columns, rows, maxValue] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return { format: 'pgm', rows, columns, bitDepth: maxValue > 255 ? 16 : 8 };
}
