/**
 * Encoders for test fixtures: the wasm encoders shipped in the cornerstone codec packages
 * (JPEG 2000, HTJ2K, JPEG-LS, 8-bit JPEG) and small hand-written ones for formats no installed
 * package can write (RLE, lossless JPEG, 12-bit extended JPEG). All take one grayscale frame.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** One grayscale frame to encode. */
export interface FrameToEncode {
  readonly width: number;
  readonly height: number;
  /** Sample precision (BitsStored). */
  readonly bitsPerSample: number;
  readonly signed?: boolean;
  /** width * height values; signed values for `signed` frames. */
  readonly values: ArrayLike<number>;
}

interface WasmEncoder {
  getDecodedBuffer(frameInfo: Record<string, unknown>): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  delete(): void;
}

type EncoderModule = Record<string, new () => WasmEncoder>;

const modules = new Map<string, Promise<EncoderModule>>();

function loadEncoderModule(jsSpecifier: string, wasmSpecifier: string): Promise<EncoderModule> {
  let module = modules.get(jsSpecifier);
  if (!module) {
    const wasmPath = require.resolve(wasmSpecifier);
    const factory = require(jsSpecifier) as (options: Record<string, unknown>) => Promise<EncoderModule>;
    module = factory({ locateFile: (f: string) => (f.endsWith('.wasm') ? wasmPath : f), print: () => {} });
    modules.set(jsSpecifier, module);
  }
  return module;
}

/** Samples as the codecs take them: little-endian 8- or 16-bit words. */
function frameBytes(frame: FrameToEncode): Uint8Array {
  if (frame.bitsPerSample <= 8) {
    return frame.signed ? new Uint8Array(Int8Array.from(frame.values).buffer) : Uint8Array.from(frame.values);
  }
  const words = frame.signed ? Int16Array.from(frame.values) : Uint16Array.from(frame.values);
  return new Uint8Array(words.buffer);
}

async function wasmEncode(
  jsSpecifier: string,
  wasmSpecifier: string,
  className: string,
  frame: FrameToEncode,
  configure?: (encoder: WasmEncoder) => void,
): Promise<Uint8Array> {
  const module = await loadEncoderModule(jsSpecifier, wasmSpecifier);
  const Encoder = module[className];
  if (!Encoder) throw new Error(`${jsSpecifier} has no ${className}`);
  const encoder = new Encoder();
  try {
    const input = frameBytes(frame);
    encoder
      .getDecodedBuffer({
        width: frame.width,
        height: frame.height,
        bitsPerSample: frame.bitsPerSample,
        componentCount: 1,
        isSigned: frame.signed ?? false,
        isUsingColorTransform: false,
      })
      .set(input);
    configure?.(encoder);
    encoder.encode();
    return new Uint8Array(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
}

/** Lossless JPEG 2000 codestream (OpenJPEG). */
export function encodeJpeg2000(frame: FrameToEncode): Promise<Uint8Array> {
  return wasmEncode(
    '@cornerstonejs/codec-openjpeg/wasmjs',
    '@cornerstonejs/codec-openjpeg/wasm',
    'J2KEncoder',
    frame,
  );
}

/** Lossless HTJ2K codestream (OpenJPH). */
export function encodeHtj2k(frame: FrameToEncode): Promise<Uint8Array> {
  return wasmEncode(
    '@cornerstonejs/codec-openjph/wasmjs',
    '@cornerstonejs/codec-openjph/wasm',
    'HTJ2KEncoder',
    frame,
  );
}

/**
 * JPEG-LS codestream (CharLS), lossless unless `nearLossless` > 0. JPEG-LS has no signed samples,
 * so signed values are written as their BitsStored-bit two's-complement codes, as DICOM requires.
 */
export function encodeJpegLs(frame: FrameToEncode, nearLossless = 0): Promise<Uint8Array> {
  const unsignedFrame = frame.signed ? { ...frame, signed: false, values: toCodes(frame) } : frame;
  return wasmEncode(
    '@cornerstonejs/codec-charls/wasmjs',
    '@cornerstonejs/codec-charls/wasm',
    'JpegLSEncoder',
    unsignedFrame,
    (encoder) => (encoder as unknown as { setNearLossless(n: number): void }).setNearLossless(nearLossless),
  );
}

/** 8-bit baseline JPEG (libjpeg-turbo) at the given quality. */
export function encodeJpegBaseline(frame: FrameToEncode, quality = 95): Promise<Uint8Array> {
  return wasmEncode(
    '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs',
    '@cornerstonejs/codec-libjpeg-turbo-8bit/wasm',
    'JPEGEncoder',
    frame,
    (encoder) => (encoder as unknown as { setQuality(q: number): void }).setQuality(quality),
  );
}

/** Signed values as unsigned BitsStored-bit codes. */
function toCodes(frame: FrameToEncode): number[] {
  const mask = 2 ** frame.bitsPerSample - 1;
  return Array.from(frame.values, (v) => v & mask);
}

// ---------------------------------------------------------------------------------------------
// DICOM RLE (PS3.5 Annex G)

/** PackBits one byte plane row by row (rows must not be merged, G.3.1). */
function packBits(plane: Uint8Array, width: number, out: number[]): void {
  for (let rowStart = 0; rowStart < plane.length; rowStart += width) {
    const row = plane.subarray(rowStart, rowStart + width);
    let i = 0;
    while (i < row.length) {
      let run = 1;
      while (i + run < row.length && run < 128 && row[i + run] === row[i]) run++;
      if (run >= 3) {
        out.push(257 - run, row[i] ?? 0);
        i += run;
        continue;
      }
      // literal: until a run of 3 starts or 128 bytes
      let end = i;
      while (end < row.length && end - i < 128) {
        if (end + 2 < row.length && row[end] === row[end + 1] && row[end] === row[end + 2]) break;
        end++;
      }
      out.push(end - i - 1, ...row.subarray(i, end));
      i = end;
    }
  }
}

/** RLE Lossless frame for 8- or 16-bit allocated samples (values masked to the allocated size). */
export function encodeRle(frame: FrameToEncode, bitsAllocated: 8 | 16): Uint8Array {
  const bytesPerSample = bitsAllocated / 8;
  const count = frame.width * frame.height;
  const segments: number[][] = [];
  for (let s = 0; s < bytesPerSample; s++) {
    const shift = 8 * (bytesPerSample - 1 - s); // most significant plane first
    const plane = new Uint8Array(count);
    for (let i = 0; i < count; i++) plane[i] = ((frame.values[i] ?? 0) >> shift) & 0xff;
    const segment: number[] = [];
    packBits(plane, frame.width, segment);
    if (segment.length % 2) segment.push(128); // pad to even length with a no-op
    segments.push(segment);
  }
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, s) => {
    header.setUint32(4 + 4 * s, offset, true);
    offset += segment.length;
  });
  const out = new Uint8Array(offset);
  out.set(new Uint8Array(header.buffer), 0);
  let pos = 64;
  for (const segment of segments) {
    out.set(segment, pos);
    pos += segment.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JPEG bit-level helpers

class BitWriter {
  private readonly bytes: number[] = [];
  private accumulator = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.accumulator = (this.accumulator << 1) | ((value >> i) & 1);
      this.count++;
      if (this.count === 8) this.flushByte();
    }
  }

  /** Pads with 1-bits (T.81 F.1.2.3) and returns the entropy-coded segment. */
  finish(): number[] {
    if (this.count > 0) this.write(0xff, 8 - this.count);
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.accumulator);
    if (this.accumulator === 0xff) this.bytes.push(0x00); // byte stuffing
    this.accumulator = 0;
    this.count = 0;
  }
}

/** Huffman table where every symbol gets a code of the same length, which is enough for tests. */
interface FlatHuffman {
  readonly bits: number[];
  readonly values: number[];
  readonly codes: Map<number, { code: number; length: number }>;
}

function flatHuffman(symbols: number[], length: number): FlatHuffman {
  if (symbols.length >= 2 ** length) throw new Error('flatHuffman: code length too short');
  const bits = new Array<number>(16).fill(0);
  bits[length - 1] = symbols.length;
  const codes = new Map(symbols.map((s, i) => [s, { code: i, length }]));
  return { bits, values: symbols, codes };
}

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

function dht(tableClass: 0 | 1, id: number, table: FlatHuffman): number[] {
  return segment(0xc4, [(tableClass << 4) | id, ...table.bits, ...table.values]);
}

function sof(marker: number, frame: FrameToEncode, precision: number): number[] {
  const { width, height } = frame;
  return segment(marker, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
}

/** SSSS category of a difference and its additional bits (T.81 F.1.2.1). */
function category(value: number): { size: number; bits: number } {
  if (value === 0) return { size: 0, bits: 0 };
  const size = Math.floor(Math.log2(Math.abs(value))) + 1;
  const bits = value > 0 ? value : (value - 1) & ((1 << size) - 1);
  return { size, bits };
}

function writeCoded(
  writer: BitWriter,
  table: FlatHuffman,
  symbol: number,
  extra: number,
  extraLength: number,
): void {
  const code = table.codes.get(symbol);
  if (!code) throw new Error(`no Huffman code for symbol ${symbol}`);
  writer.write(code.code, code.length);
  if (extraLength > 0) writer.write(extra, extraLength);
}

// ---------------------------------------------------------------------------------------------
// Lossless JPEG (Process 14, first-order prediction: transfer syntax .4.70, also valid .4.57)

/**
 * Lossless JPEG with predictor 1 (left neighbour) and no point transform. Signed values are
 * encoded as their two's-complement codes in `bitsPerSample` bits.
 */
export function encodeJpegLossless(frame: FrameToEncode): Uint8Array {
  const { width, height, bitsPerSample: precision } = frame;
  const mask = 2 ** precision - 1;
  const table = flatHuffman(
    Array.from({ length: 17 }, (_, i) => i),
    5,
  );
  const writer = new BitWriter();
  const at = (x: number, y: number): number => (frame.values[y * width + x] ?? 0) & mask;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let prediction: number;
      if (x === 0 && y === 0) prediction = 2 ** (precision - 1);
      else if (y === 0) prediction = at(x - 1, y);
      else if (x === 0) prediction = at(x, y - 1);
      else prediction = at(x - 1, y);
      // Differences are taken modulo 2^16 and read as -32767 .. 32768 (H.1.2.1).
      let diff = (at(x, y) - prediction) & 0xffff;
      if (diff > 32768) diff -= 65536;
      if (diff === 32768) {
        writeCoded(writer, table, 16, 0, 0);
        continue;
      }
      const { size, bits } = category(diff);
      writeCoded(writer, table, size, bits, size);
    }
  }
  return Uint8Array.from([
    0xff,
    0xd8,
    ...sof(0xc3, frame, precision),
    ...dht(0, 0, table),
    ...segment(0xda, [1, 1, 0x00, 1, 0, 0]), // Ns=1, Cs=1 Td=0, Ss=predictor 1, Se=0, Ah/Al=0
    ...writer.finish(),
    0xff,
    0xd9,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Extended DCT JPEG (Process 2 & 4, SOF1, Huffman), 12-bit capable

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
];

const COS = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i >> 3) + 1) * (i & 7) * Math.PI) / 16));

/**
 * DCT JPEG of 8- or 12-bit unsigned samples with every quantiser 1, so the only loss is DCT
 * rounding (a sample comes back within a couple of codes). Meant to test decoders, not to compress.
 */
export function encodeJpegExtended(frame: FrameToEncode): Uint8Array {
  const { width, height, bitsPerSample: precision } = frame;
  if (precision !== 8 && precision !== 12) throw new Error('encodeJpegExtended: precision must be 8 or 12');
  const dcTable = flatHuffman(
    Array.from({ length: 16 }, (_, i) => i),
    5,
  );
  const acSymbols = [0x00, 0xf0];
  for (let run = 0; run < 16; run++) for (let size = 1; size <= 15; size++) acSymbols.push((run << 4) | size);
  const acTable = flatHuffman(acSymbols, 8);
  const shift = 2 ** (precision - 1);
  const writer = new BitWriter();
  const block = new Float64Array(64);
  const coefficients = new Int32Array(64);
  let previousDc = 0;
  const sample = (x: number, y: number): number =>
    frame.values[Math.min(y, height - 1) * width + Math.min(x, width - 1)] ?? 0;
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let i = 0; i < 64; i++) block[i] = sample(bx + (i & 7), by + (i >> 3)) - shift;
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let y = 0; y < 8; y++) {
            for (let x = 0; x < 8; x++)
              sum += (block[y * 8 + x] ?? 0) * (COS[x * 8 + u] ?? 0) * (COS[y * 8 + v] ?? 0);
          }
          const cu = u === 0 ? Math.SQRT1_2 : 1;
          const cv = v === 0 ? Math.SQRT1_2 : 1;
          coefficients[v * 8 + u] = Math.round(0.25 * cu * cv * sum);
        }
      }
      const dc = coefficients[0] ?? 0;
      const dcCategory = category(dc - previousDc);
      previousDc = dc;
      writeCoded(writer, dcTable, dcCategory.size, dcCategory.bits, dcCategory.size);
      let run = 0;
      for (let k = 1; k < 64; k++) {
        const value = coefficients[ZIGZAG[k] ?? 0] ?? 0;
        if (value === 0) {
          run++;
          continue;
        }
        while (run > 15) {
          writeCoded(writer, acTable, 0xf0, 0, 0);
          run -= 16;
        }
        const { size, bits } = category(value);
        writeCoded(writer, acTable, (run << 4) | size, bits, size);
        run = 0;
      }
      if (run > 0) writeCoded(writer, acTable, 0x00, 0, 0);
    }
  }
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // 8-bit quantiser table 0, all ones
    ...sof(0xc1, frame, precision),
    ...dht(0, 0, dcTable),
    ...dht(1, 0, acTable),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...writer.finish(),
    0xff,
    0xd9,
  ]);
}
