import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { ImageDecodeError, describeThrown } from './errors.js';
import { MAX_INFLATED_BYTES, megabytes } from './limits.js';

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
}

/**
 * Parses a DICOM stream with dicom-parser, tolerating a missing preamble or meta header.
 *
 * A parse that fails part-way (typically a file cut short inside Pixel Data) still returns what was
 * read when the pixel data element was reached, so that the caller can report the truncation
 * precisely instead of a generic "buffer overrun".
 *
 * @throws ImageDecodeError `unknown-format` when the bytes are not DICOM, `invalid-dicom` when they
 * cannot be parsed.
 */
export function parseDicomBytes(bytes: Uint8Array, fileName?: string): ParsedDicom {
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
  const options = rawSyntax === undefined ? {} : { TransferSyntaxUID: rawSyntax };
  let deflated = false;
  const metaGroup = rawSyntax === undefined ? readMetaGroup(input) : undefined;
  if (metaGroup?.transferSyntax === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    input = inflateDataSet(input, metaGroup, fileName);
    deflated = true;
  }
  try {
    const dataSet = dicomParser.parseDicom(input, options);
    const transferSyntaxUid = deflated
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

/**
 * Inflates a deflated data set in place of the compressed one and relabels the meta header as
 * explicit VR little endian. dicom-parser's own deflate path restarts parsing at offset 0 (it
 * re-reads the preamble and meta header as data set elements), which fails for some headers.
 */
function inflateDataSet(input: Uint8Array, meta: MetaGroup, fileName?: string): Uint8Array {
  let inflated: Uint8Array;
  try {
    // Capped: a few megabytes of deflate can expand to gigabytes.
    inflated = inflateRawSync(input.subarray(meta.end), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ImageDecodeError(
        'unsupported-image',
        `the deflated data set inflates to more than ${megabytes(MAX_INFLATED_BYTES)}, larger than any mammogram`,
        fileName,
        { cause: thrown },
      );
    }
    throw new ImageDecodeError(
      'invalid-dicom',
      `cannot inflate the deflated data set: ${describeThrown(thrown)}`,
      fileName,
      { cause: thrown },
    );
  }
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
