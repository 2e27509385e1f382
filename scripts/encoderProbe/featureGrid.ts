/** The per-image feature grid file of the encoder probe: rows, columns, channels (int32 LE), then float32 cells. */
export interface FeatureGrid {
  rows: number;
  columns: number;
  channels: number;
  /** rows x columns x channels, channels last. */
  values: Float32Array;
}

export const featureFileName = (refnum: string, down: number): string => `${refnum}-d${down}.bin`;

export function writeFeatureGrid(
  rows: number,
  columns: number,
  channels: number,
  values: ArrayLike<number>,
): Buffer {
  const header = Buffer.alloc(12);
  header.writeInt32LE(rows, 0);
  header.writeInt32LE(columns, 4);
  header.writeInt32LE(channels, 8);
  return Buffer.concat([header, Buffer.from(Float32Array.from(values).buffer)]);
}

export function readFeatureGrid(file: Buffer): FeatureGrid {
  const rows = file.readInt32LE(0);
  const columns = file.readInt32LE(4);
  const channels = file.readInt32LE(8);
  const values = new Float32Array(file.buffer.slice(file.byteOffset + 12, file.byteOffset + file.byteLength));
  if (values.length !== rows * columns * channels) throw new Error('feature grid: wrong length');
  return { rows, columns, channels, values };
}
