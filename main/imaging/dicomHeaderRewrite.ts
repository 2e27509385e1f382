/**
 * A DICOM file with some header elements written over: only the elements before Pixel Data are
 * parsed and written again, and the pixels (tens of megabytes) are copied as they are. Runs in the
 * decode worker, so a film's copy and hashes never hold a server's thread.
 */
import dcmjs from 'dcmjs';
import { sha256Hex } from '../common/sha256.js';
import { parseDicomHeader, type ParsedDicom } from './dicomFile.js';
import { ImageDecodeError } from './errors.js';
import { readImageFile } from './readImageFile.js';

const { DicomMessage } = dcmjs.data;
dcmjs.log.setLevel('error');

const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** The transfer syntaxes whose header can be written again in front of the same pixel bytes. */
export const REWRITABLE_TRANSFER_SYNTAXES: readonly string[] = [
  IMPLICIT_LITTLE_ENDIAN,
  EXPLICIT_LITTLE_ENDIAN,
];
/** (7FE0,0010) as its tag's bytes in a little-endian stream. */
const PIXEL_DATA_TAG = [0xe0, 0x7f, 0x10, 0x00] as const;

/** A header element to write: its tag (8 hex digits, upper case), VR and single string value. */
export interface HeaderElement {
  readonly tag: string;
  readonly vr: string;
  readonly value: string;
}

/** A file rewritten by {@link rewriteDicomHeaderFile}: its new bytes, their sha256 and the source's. */
export interface RewrittenDicom {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly sourceSha256: string;
}

/**
 * The stream with `elements` written over its header (File Meta elements, group 0002, in the meta
 * header); pixels and everything else as they were.
 *
 * @param parsed - the stream's header, as {@link parseDicomHeader} read it from `bytes`.
 * @throws ImageDecodeError for a transfer syntax other than uncompressed little endian, or a Pixel
 *   Data element not where the header says.
 */
export function withHeaderElements(
  bytes: Uint8Array,
  parsed: ParsedDicom,
  elements: readonly HeaderElement[],
): Uint8Array {
  const syntax = parsed.transferSyntaxUid;
  if (!REWRITABLE_TRANSFER_SYNTAXES.includes(syntax))
    throw new ImageDecodeError(
      'unsupported-transfer-syntax',
      `transfer syntax ${syntax}: only an uncompressed little-endian header is written again`,
    );
  const pixelData = parsed.dataSet.elements['x7fe00010'];
  // Where the Pixel Data element starts: its tag, then VR and length (8 bytes implicit, 12 explicit OB/OW).
  const start = pixelData ? pixelData.dataOffset - (syntax === IMPLICIT_LITTLE_ENDIAN ? 8 : 12) : -1;
  if (start < 0 || PIXEL_DATA_TAG.some((byte, i) => bytes[start + i] !== byte))
    throw new ImageDecodeError('invalid-dicom', 'cannot find where its Pixel Data begins');
  // A copy of its own: a Buffer's slice shares (and its .buffer is) the whole file's memory.
  const header = new ArrayBuffer(start);
  new Uint8Array(header).set(bytes.subarray(0, start));
  const message = DicomMessage.readFile(header);
  for (const { tag, vr, value } of elements)
    (tag.startsWith('0002') ? message.meta : message.dict)[tag] = { vr, Value: [value] };
  const written = new Uint8Array(message.write());
  const out = new Uint8Array(written.length + bytes.length - start);
  out.set(written);
  out.set(bytes.subarray(start), written.length);
  return out;
}

/**
 * Reads a DICOM file and rewrites its header ({@link withHeaderElements}), hashing both contents.
 *
 * @throws ImageDecodeError when the file cannot be read or parsed, or its header not rewritten.
 */
export async function rewriteDicomHeaderFile(
  filePath: string,
  elements: readonly HeaderElement[],
): Promise<RewrittenDicom> {
  const source = await readImageFile(filePath);
  const bytes = withHeaderElements(source, await parseDicomHeader(source, filePath), elements);
  return { bytes, sha256: sha256Hex(bytes), sourceSha256: sha256Hex(source) };
}
