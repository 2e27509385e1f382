import { constants as zlibConstants, createInflateRaw, inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { ImageDecodeError, describeThrown } from './errors.js';
import { MAX_HEADER_BYTES, MAX_INFLATED_BYTES, megabytes } from './limits.js';

const PREAMBLE_LENGTH = 128;
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';

/** How the bytes of a DICOM stream begin; see {@link sniffDicom}. */
export type DicomLayout =
  /** Standard Part 10: 128-byte preamble, `DICM`, meta header. */
  | 'part10'
  /** `DICM` and meta header, but the preamble was stripped. */
  | 'part10-no-preamble'
  /** Meta header (group 0002) with neither preamble nor `DICM`. */
  | 'meta-only'
  /** A bare data set (no meta header), as old ACR-NEMA style files and some exports are. */
  | 'raw-implicit'
  | 'raw-explicit';

function isDicmAt(bytes: Uint8Array, offset: number): boolean {
  return (
    bytes.length >= offset + 4 &&
    bytes[offset] === 0x44 &&
    bytes[offset + 1] === 0x49 &&
    bytes[offset + 2] === 0x43 &&
    bytes[offset + 3] === 0x4d
  );
}

function isUpperAscii(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x41 && byte <= 0x5a;
}

/**
 * Recognises a DICOM stream from its first bytes, or returns `undefined` when it is not one. Bare
 * data sets are accepted only when they start with a little-endian group 0008 element, which is
 * the first group any image object has; anything looser would claim random binary files.
 */
export function sniffDicom(bytes: Uint8Array): DicomLayout | undefined {
  if (isDicmAt(bytes, PREAMBLE_LENGTH)) return 'part10';
  if (isDicmAt(bytes, 0)) return 'part10-no-preamble';
  if (bytes.length < 8) return undefined;
  const group = (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8);
  const explicitVr = isUpperAscii(bytes[4]) && isUpperAscii(bytes[5]);
  if (group === 0x0002 && explicitVr) return 'meta-only';
  if (group === 0x0008) return explicitVr ? 'raw-explicit' : 'raw-implicit';
  return undefined;
}

function withPrefix(bytes: Uint8Array, prefix: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix, 0);
  out.set(bytes, prefix.length);
  return out;
}

/** A parsed DICOM stream and the transfer syntax its data set is encoded in. */
export interface ParsedDicom {
  readonly dataSet: DataSet;
  /** From the meta header, or the syntax a bare data set was recognised as. */
  readonly transferSyntaxUid: string;
  /** True when parsing stopped early (a truncated file) and `dataSet` holds what came before. */
  readonly partial: boolean;
  /** Set by {@link parseDicomHeader} when it read the elements up to Pixel Data and not its value. */
  readonly headerOnly?: true;
  /**
   * With `headerOnly`, from {@link parseDicomHeaderPrefix}: the whole stream's length (in the same
   * offsets as the data set's), so the pixel bytes present can be judged without reading them.
   */
  readonly streamBytes?: number;
}

/** The stream as dicom-parser takes it, before a deflated data set is inflated. */
interface PreparedStream {
  input: Uint8Array;
  /** The syntax of a bare data set (no meta header). */
  rawSyntax: string | undefined;
  /** Set when the data set is deflated: where it starts and how it is labelled. */
  deflated: MetaGroup | undefined;
}

function prepareStream(bytes: Uint8Array, fileName?: string): PreparedStream {
  const layout = sniffDicom(bytes);
  if (layout === undefined) {
    throw new ImageDecodeError('unknown-format', 'not a DICOM file (no DICM prefix)', fileName);
  }
  let input = bytes;
  let rawSyntax: string | undefined;
  switch (layout) {
    case 'part10':
      break;
    case 'part10-no-preamble':
      input = withPrefix(bytes, new Uint8Array(PREAMBLE_LENGTH));
      break;
    case 'meta-only': {
      const prefix = new Uint8Array(PREAMBLE_LENGTH + 4);
      prefix.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE_LENGTH);
      input = withPrefix(bytes, prefix);
      break;
    }
    case 'raw-implicit':
      rawSyntax = IMPLICIT_VR_LITTLE_ENDIAN;
      break;
    case 'raw-explicit':
      rawSyntax = EXPLICIT_VR_LITTLE_ENDIAN;
      break;
  }
  const metaGroup = rawSyntax === undefined ? readMetaGroup(input) : undefined;
  const deflated = metaGroup?.transferSyntax === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ? metaGroup : undefined;
  return { input, rawSyntax, deflated };
}

/**
 * Parses a DICOM stream with dicom-parser, tolerating a missing preamble or meta header.
 *
 * A parse that fails part-way (typically a file cut short inside Pixel Data) still returns what was
 * read when the pixel data element was reached, so that the caller can report the truncation
 * precisely instead of a generic "buffer overrun".
 *
 * A deflated data set is inflated in this thread: meant for workers. A server's thread uses
 * {@link parseDicomHeader}.
 *
 * @throws ImageDecodeError `unknown-format` when the bytes are not DICOM, `invalid-dicom` when they
 * cannot be parsed.
 */
export function parseDicomBytes(bytes: Uint8Array, fileName?: string): ParsedDicom {
  const stream = prepareStream(bytes, fileName);
  const input = stream.deflated
    ? withInflatedDataSet(
        stream.input,
        stream.deflated,
        inflateCapped(stream.input, stream.deflated, fileName),
      )
    : stream.input;
  return parseStream(input, stream, fileName);
}

/**
 * {@link parseDicomBytes} up to Pixel Data, for a server's thread: the pixels are not checked (a
 * decode in a worker does that). A deflated data set is inflated on libuv's thread pool, as a
 * stream, only as far as its Pixel Data element and never beyond {@link MAX_HEADER_BYTES}: an
 * element before Pixel Data that declares more is refused by its declared length without being
 * inflated (a 2.9 MB file whose private element declared 3 GB had held the thread for 30 s and
 * taken 3.4 GB). The result is then `headerOnly`: Pixel Data has its declared length and offset,
 * but its value was not read.
 *
 * @throws ImageDecodeError as {@link parseDicomBytes} does, and `unsupported-image` for a header
 * larger than any mammogram's.
 */
export async function parseDicomHeader(bytes: Uint8Array, fileName?: string): Promise<ParsedDicom> {
  const stream = prepareStream(bytes, fileName);
  const meta = stream.deflated;
  if (!meta) return parseStream(stream.input, stream, fileName);
  const header = await inflateHeader(stream.input.subarray(meta.end), fileName);
  // No Pixel Data in a stream that ended within the header cap: a whole parse inflates no more,
  // and says what is wrong with it.
  if (!header.pixelDataFound) return parseDicomBytes(bytes, fileName);
  const dataSet = parseUntilPixelData(withInflatedDataSet(stream.input, meta, header.inflated));
  if (!dataSet) throw new ImageDecodeError('invalid-dicom', 'cannot parse the DICOM header', fileName);
  return { dataSet, transferSyntaxUid: DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, partial: false, headerOnly: true };
}

/**
 * {@link parseDicomHeader} from a file's first bytes: the elements up to Pixel Data and Pixel
 * Data's own header, so a caller needing the header of a 29 MB file reads kilobytes. Undefined when
 * the prefix ends before Pixel Data's header (read more), or when the data set is deflated (its
 * prefix cannot be parsed alone) or its pixels encapsulated (judged by their fragments): parse the
 * whole file then.
 *
 * @param fileBytes - the whole file's length; the result's `streamBytes` follows from it.
 * @throws ImageDecodeError `unknown-format` when the bytes are not DICOM.
 */
export function parseDicomHeaderPrefix(
  prefix: Uint8Array,
  fileBytes: number,
  fileName?: string,
): ParsedDicom | undefined {
  const stream = prepareStream(prefix, fileName);
  if (stream.deflated) return undefined;
  const { rawSyntax } = stream;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(stream.input, {
      untilTag: 'x7fe00010',
      ...(rawSyntax === undefined ? {} : { TransferSyntaxUID: rawSyntax }),
    });
  } catch {
    return undefined;
  }
  const pixelData = dataSet.elements['x7fe00010'];
  // Encapsulated pixels are judged by their fragments, which a header alone does not have.
  if (!pixelData || pixelData.hadUndefinedLength) return undefined;
  return {
    dataSet,
    transferSyntaxUid: rawSyntax ?? dataSet.string('x00020010') ?? '',
    partial: false,
    headerOnly: true,
    // A stream missing its preamble was given one: offsets count it.
    streamBytes: fileBytes + stream.input.length - prefix.length,
  };
}

/** What {@link inflateHeader} read of a deflated data set. */
interface InflatedHeader {
  /** The data set from its start: to the end of the top-level Pixel Data element's header when found. */
  inflated: Uint8Array;
  pixelDataFound: boolean;
}

/**
 * Inflates a deflated data set on the thread pool until its top-level Pixel Data element is
 * reached, the stream ends, or {@link MAX_HEADER_BYTES} would be passed.
 */
function inflateHeader(compressed: Uint8Array, fileName?: string): Promise<InflatedHeader> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 });
    const walk = new HeaderWalk();
    let buffer = new Uint8Array(64 * 1024);
    let length = 0;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      outcome();
    };
    inflater.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (length + chunk.length > buffer.length) {
        const grown = new Uint8Array(Math.max(buffer.length * 2, length + chunk.length));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(chunk, length);
      length += chunk.length;
      const step = walk.advance(buffer.subarray(0, length));
      if (step.kind === 'pixel-data') {
        settle(() => resolve({ inflated: buffer.slice(0, step.end), pixelDataFound: true }));
      } else if (step.kind === 'oversized') {
        settle(() => reject(oversizedHeaderError(step, fileName)));
      } else if (length > MAX_HEADER_BYTES) {
        settle(() => reject(oversizedHeaderError(null, fileName)));
      }
    });
    inflater.on('error', (thrown) => settle(() => reject(inflateError(thrown, fileName))));
    inflater.on('end', () =>
      settle(() => resolve({ inflated: buffer.subarray(0, length), pixelDataFound: false })),
    );
    inflater.end(compressed);
  });
}

/** Where {@link HeaderWalk} stands after the bytes it was given. */
type HeaderStep =
  | { kind: 'more' }
  /** The top-level Pixel Data element's header ends at `end`. */
  | { kind: 'pixel-data'; end: number }
  /** An element (`tag`, declaring `length` bytes) would end past the header cap. */
  | { kind: 'oversized'; tag: string; length: number };

const LONG_LENGTH_VRS = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);
const UNDEFINED_LENGTH = 0xffffffff;

/**
 * Walks an explicit VR little endian data set's element headers, by their declared lengths, as its
 * bytes come in: finds the top-level Pixel Data element (one inside a sequence, as an icon image's,
 * does not count) and refuses an element that would end past {@link MAX_HEADER_BYTES} before a byte
 * of it is inflated.
 */
class HeaderWalk {
  /** Offset of the next element header. */
  private at = 0;
  /** Undefined-length sequences (and items) the walk is inside. */
  private depth = 0;

  advance(bytes: Uint8Array): HeaderStep {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (this.at + 8 <= bytes.length) {
      const group = view.getUint16(this.at, true);
      const element = view.getUint16(this.at + 2, true);
      if (group === 0xfffe) {
        // Item (E000), item delimiter (E00D), sequence delimiter (E0DD): tag and a 4-byte length.
        const length = view.getUint32(this.at + 4, true);
        if (element === 0xe000 && length !== UNDEFINED_LENGTH) {
          const end = this.at + 8 + length;
          if (end > MAX_HEADER_BYTES) return { kind: 'oversized', tag: tagName(group, element), length };
          this.at = end;
        } else {
          if (element === 0xe0dd) this.depth = Math.max(0, this.depth - 1);
          this.at += 8;
        }
        continue;
      }
      const vr = String.fromCharCode(bytes[this.at + 4]!, bytes[this.at + 5]!);
      const long = LONG_LENGTH_VRS.has(vr);
      const headerLength = long ? 12 : 8;
      if (this.at + headerLength > bytes.length) break;
      if (group === 0x7fe0 && element === 0x0010 && this.depth === 0)
        return { kind: 'pixel-data', end: this.at + headerLength };
      const length = long ? view.getUint32(this.at + 8, true) : view.getUint16(this.at + 6, true);
      if (length === UNDEFINED_LENGTH) {
        // A sequence (or encapsulated value) whose items follow: walk into it.
        this.depth++;
        this.at += headerLength;
        continue;
      }
      const end = this.at + headerLength + length;
      if (end > MAX_HEADER_BYTES) return { kind: 'oversized', tag: tagName(group, element), length };
      this.at = end;
    }
    return { kind: 'more' };
  }
}

function tagName(group: number, element: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(group)},${hex(element)})`;
}

/** A header larger than any mammogram's: one element's declared length, or many elements. */
function oversizedHeaderError(
  element: { tag: string; length: number } | null,
  fileName?: string,
): ImageDecodeError {
  const what = element
    ? `element ${element.tag} before Pixel Data declares ${megabytes(element.length)}`
    : `the elements before Pixel Data take more than ${megabytes(MAX_HEADER_BYTES)}`;
  return new ImageDecodeError(
    'unsupported-image',
    `${what}; a mammogram's header takes at most ${megabytes(MAX_HEADER_BYTES)}`,
    fileName,
  );
}

/** The elements before Pixel Data and its own; undefined when the bytes end before it. */
function parseUntilPixelData(input: Uint8Array): DataSet | undefined {
  try {
    const dataSet = dicomParser.parseDicom(input, { untilTag: 'x7fe00010' });
    return dataSet.elements['x7fe00010'] ? dataSet : undefined;
  } catch {
    return undefined;
  }
}

function parseStream(input: Uint8Array, stream: PreparedStream, fileName?: string): ParsedDicom {
  const { rawSyntax } = stream;
  const options = rawSyntax === undefined ? {} : { TransferSyntaxUID: rawSyntax };
  try {
    const dataSet = dicomParser.parseDicom(input, options);
    const transferSyntaxUid = stream.deflated
      ? DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN
      : (rawSyntax ?? dataSet.string('x00020010') ?? '');
    return { dataSet, transferSyntaxUid, partial: false };
  } catch (thrown) {
    const partial = (thrown as { dataSet?: DataSet } | null)?.dataSet;
    if (partial?.elements['x7fe00010'] !== undefined) {
      // dicom-parser adds the meta header to the data set only after a complete parse.
      const transferSyntaxUid = rawSyntax ?? readMetaTransferSyntax(input);
      if (transferSyntaxUid !== undefined) return { dataSet: partial, transferSyntaxUid, partial: true };
    }
    const detail = describeThrown(thrown);
    const truncated = /past end of buffer|buffer overrun/.test(detail) ? ' (the file is truncated)' : '';
    throw new ImageDecodeError('invalid-dicom', `cannot parse DICOM${truncated}: ${detail}`, fileName, {
      cause: thrown,
    });
  }
}

interface MetaGroup {
  /** Offset of the first data set byte. */
  end: number;
  transferSyntax: string;
  /** Where the Transfer Syntax UID's value lies. */
  syntaxOffset: number;
  syntaxLength: number;
}

/**
 * Reads the meta group (always explicit VR little endian) by its group length. dicom-parser's
 * readPart10Header instead peeks at the first data set bytes, which in a deflated file are
 * compressed and can look like anything, so it cannot be used there.
 */
function readMetaGroup(input: Uint8Array): MetaGroup | undefined {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const start = PREAMBLE_LENGTH + 4;
  if (
    input.length < start + 12 ||
    view.getUint16(start, true) !== 0x0002 ||
    view.getUint16(start + 2, true) !== 0x0000
  )
    return undefined;
  const end = start + 12 + view.getUint32(start + 8, true);
  for (let at = start; at + 8 <= Math.min(end, input.length);) {
    const element = view.getUint16(at + 2, true);
    const vr = String.fromCharCode(input[at + 4]!, input[at + 5]!);
    const longForm = ['OB', 'OW', 'OF', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OD', 'OL', 'OV'].includes(vr);
    const length = longForm ? view.getUint32(at + 8, true) : view.getUint16(at + 6, true);
    const valueAt = at + (longForm ? 12 : 8);
    if (element === 0x0010) {
      const bytes = input.subarray(valueAt, valueAt + length);
      const transferSyntax = new TextDecoder().decode(bytes).replace(/[\0 ]+$/, '');
      return { end, transferSyntax, syntaxOffset: valueAt, syntaxLength: length };
    }
    at = valueAt + length;
  }
  return undefined;
}

/** Inflates a deflated data set, capped: a few megabytes of deflate can expand to gigabytes. */
function inflateCapped(input: Uint8Array, meta: MetaGroup, fileName?: string): Uint8Array {
  try {
    return inflateRawSync(input.subarray(meta.end), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (thrown) {
    throw inflateError(thrown, fileName);
  }
}

function inflateError(thrown: unknown, fileName?: string): ImageDecodeError {
  if ((thrown as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
    return new ImageDecodeError(
      'unsupported-image',
      `the deflated data set inflates to more than ${megabytes(MAX_INFLATED_BYTES)}, larger than any mammogram`,
      fileName,
      { cause: thrown },
    );
  }
  return new ImageDecodeError(
    'invalid-dicom',
    `cannot inflate the deflated data set: ${describeThrown(thrown)}`,
    fileName,
    { cause: thrown },
  );
}

/**
 * The inflated data set in place of the compressed one, with the meta header relabelled as explicit
 * VR little endian. dicom-parser's own deflate path restarts parsing at offset 0 (it re-reads the
 * preamble and meta header as data set elements), which fails for some headers.
 */
function withInflatedDataSet(input: Uint8Array, meta: MetaGroup, inflated: Uint8Array): Uint8Array {
  const out = new Uint8Array(meta.end + inflated.length);
  out.set(input.subarray(0, meta.end), 0);
  out.set(inflated, meta.end);
  out.fill(0, meta.syntaxOffset, meta.syntaxOffset + meta.syntaxLength);
  out.set(new TextEncoder().encode(EXPLICIT_VR_LITTLE_ENDIAN), meta.syntaxOffset);
  return out;
}

function readMetaTransferSyntax(input: Uint8Array): string | undefined {
  try {
    return dicomParser.readPart10Header(input).string('x00020010');
  } catch {
    return undefined;
  }
}
