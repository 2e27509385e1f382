/**
 * The identity a CBIS-DDSM TCIA file is stored under. Each TCIA file is its own study with a
 * patient id like `Mass-Training_P_00001_LEFT_CC` and no laterality or view attributes; the
 * workstation files a patient's views in one study (main/studies/cbis/cbisIdentity.ts) and the
 * stored file must say what the database says, or an export or PACS push referencing the image
 * would name an instance no file holds.
 */
import dcmjs from 'dcmjs';
import type { ParsedDicom } from '../../imaging/dicomFile.js';
import { ImportRejection } from '../dicomMetadata.js';
import type { CbisImageIdentity } from './cbisIdentity.js';

const { DicomMessage } = dcmjs.data;
dcmjs.log.setLevel('error');

const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** (7FE0,0010) as its tag's bytes in a little-endian stream. */
const PIXEL_DATA_TAG = [0xe0, 0x7f, 0x10, 0x00] as const;

/**
 * The file with its patient id, study / series / instance UIDs, image laterality and view position
 * replaced by the case table's identity; pixels and everything else as they were. Only the
 * elements before Pixel Data are parsed and written again: the pixels (tens of megabytes) are
 * copied as they are.
 *
 * @param parsed - the file's header, as the import read it.
 * @throws ImportRejection for a transfer syntax that cannot be written back unchanged.
 */
export function withCaseIdentity(
  bytes: Uint8Array,
  parsed: ParsedDicom,
  identity: CbisImageIdentity,
): Uint8Array {
  const syntax = parsed.transferSyntaxUid;
  if (syntax !== IMPLICIT_LITTLE_ENDIAN && syntax !== EXPLICIT_LITTLE_ENDIAN)
    throw new ImportRejection(
      `transfer syntax ${syntax}: a CBIS-DDSM file is expected uncompressed (little endian)`,
    );
  const pixelData = parsed.dataSet.elements['x7fe00010'];
  // Where the Pixel Data element starts: its tag, then VR and length (8 bytes implicit, 12 explicit OB/OW).
  const start = pixelData ? pixelData.dataOffset - (syntax === IMPLICIT_LITTLE_ENDIAN ? 8 : 12) : -1;
  if (start < 0 || PIXEL_DATA_TAG.some((byte, i) => bytes[start + i] !== byte))
    throw new ImportRejection('cannot find where its Pixel Data begins');
  // A copy of its own: a Buffer's slice shares (and its .buffer is) the whole file's memory.
  const header = new ArrayBuffer(start);
  new Uint8Array(header).set(bytes.subarray(0, start));
  const message = DicomMessage.readFile(header);
  const set = (dict: Record<string, unknown>, tag: string, vr: string, value: string): void => {
    dict[tag] = { vr, Value: [value] };
  };
  set(message.dict, '00100020', 'LO', identity.patientId);
  set(message.dict, '0020000D', 'UI', identity.studyUid);
  set(message.dict, '0020000E', 'UI', identity.seriesUid);
  set(message.dict, '00080018', 'UI', identity.sopInstanceUid);
  set(message.meta, '00020003', 'UI', identity.sopInstanceUid);
  set(message.dict, '00200062', 'CS', identity.laterality);
  set(message.dict, '00185101', 'CS', identity.view);
  const written = new Uint8Array(message.write());
  const out = new Uint8Array(written.length + bytes.length - start);
  out.set(written);
  out.set(bytes.subarray(start), written.length);
  return out;
}
