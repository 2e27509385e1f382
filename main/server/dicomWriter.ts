/**
 * A minimal DICOM Part 10 writer (explicit VR little endian): enough to wrap a grayscale raster so
 * that every image reaches the viewer as DICOM, and to generate test files.
 */

/** Value representations this writer knows. */
export type WritableVr =
  'AE' | 'CS' | 'DA' | 'DS' | 'IS' | 'LO' | 'PN' | 'SH' | 'TM' | 'UI' | 'US' | 'OB' | 'OW';

export interface DicomElement {
  /** Group and element as one number, e.g. 0x00280010 for Rows. */
  tag: number;
  vr: WritableVr;
  /** Strings are joined with `\`; numbers are US values; bytes go into OB/OW unchanged. */
  value: string | readonly string[] | number | readonly number[] | Uint8Array;
}

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_CLASS_UID = '2.25.163018442447126138582740633617213372043';
const LONG_LENGTH_VRS = new Set<WritableVr>(['OB', 'OW']);

/**
 * Writes a DICOM file: preamble, DICM, file meta group and the data set, in tag order.
 *
 * @example
 * const bytes = writeDicomFile('1.2.840.10008.5.1.4.1.1.7', uid, [{ tag: 0x00280010, vr: 'US', value: 2 }, ...]);
 */
export function writeDicomFile(
  sopClassUid: string,
  sopInstanceUid: string,
  elements: readonly DicomElement[],
): Uint8Array {
  const metaBody = encodeElements([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LITTLE_ENDIAN },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
  ]);
  // Preamble, "DICM" and (0002,0000) FileMetaInformationGroupLength (UL, written by hand).
  const header = new Uint8Array(132 + 12);
  header.set([0x44, 0x49, 0x43, 0x4d], 128);
  const view = new DataView(header.buffer);
  view.setUint16(132, 0x0002, true);
  view.setUint16(134, 0x0000, true);
  header.set([0x55, 0x4c], 136); // UL
  view.setUint16(138, 4, true);
  view.setUint32(140, metaBody.length, true);
  const identity: DicomElement[] = [
    { tag: 0x00080016, vr: 'UI', value: sopClassUid },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
  ];
  const body = encodeElements([...elements, ...identity].sort((a, b) => a.tag - b.tag));
  return concat([header, metaBody, body]);
}

function encodeElements(elements: readonly DicomElement[]): Uint8Array {
  return concat(elements.map(encodeElement));
}

function encodeElement({ tag, vr, value }: DicomElement): Uint8Array {
  const data = encodeValue(vr, value);
  const long = LONG_LENGTH_VRS.has(vr);
  const head = new Uint8Array(long ? 12 : 8);
  const view = new DataView(head.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  head[4] = vr.charCodeAt(0);
  head[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, data.length, true);
  else {
    if (data.length > 0xffff)
      throw new RangeError(`DICOM element ${tag.toString(16)} is too long for VR ${vr}`);
    view.setUint16(6, data.length, true);
  }
  return concat([head, data]);
}

function encodeValue(vr: WritableVr, value: DicomElement['value']): Uint8Array {
  if (value instanceof Uint8Array) return value.length % 2 ? concat([value, new Uint8Array(1)]) : value;
  if (vr === 'US') {
    const numbers = typeof value === 'number' ? [value] : (value as readonly number[]);
    const out = new Uint8Array(numbers.length * 2);
    const view = new DataView(out.buffer);
    numbers.forEach((n, i) => view.setUint16(i * 2, n, true));
    return out;
  }
  const text =
    typeof value === 'string' ? value : (value as readonly (string | number)[]).map(String).join('\\');
  const bytes = new TextEncoder().encode(typeof value === 'number' ? String(value) : text);
  if (bytes.length % 2 === 0) return bytes;
  // Pad to even length: UI with NUL, text with a space.
  return concat([bytes, new Uint8Array([vr === 'UI' ? 0 : 0x20])]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
