/**
 * The identity a CBIS-DDSM TCIA file is stored under. Each TCIA file is its own study with a
 * patient id like `Mass-Training_P_00001_LEFT_CC` and no laterality or view attributes; the
 * workstation files a patient's views in one study (main/studies/cbis/cbisIdentity.ts) and the
 * stored file must say what the database says, or an export or PACS push referencing the image
 * would name an instance no file holds.
 */
import dcmjs from 'dcmjs';
import { ImportRejection } from '../dicomMetadata.js';
import type { CbisImageIdentity } from './cbisIdentity.js';

const { DicomMessage } = dcmjs.data;
dcmjs.log.setLevel('error');

/** Transfer syntaxes dcmjs writes back as it read them. */
const REWRITABLE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

/**
 * The file with its patient id, study / series / instance UIDs, image laterality and view position
 * replaced by the case table's identity; pixels and everything else as they were.
 *
 * @throws ImportRejection for a transfer syntax that cannot be written back unchanged.
 */
export function withCaseIdentity(
  bytes: Uint8Array,
  transferSyntaxUid: string,
  identity: CbisImageIdentity,
): Uint8Array {
  if (!REWRITABLE_SYNTAXES.has(transferSyntaxUid))
    throw new ImportRejection(
      `transfer syntax ${transferSyntaxUid}: a CBIS-DDSM file is expected uncompressed (little endian)`,
    );
  const own = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const message = DicomMessage.readFile(own);
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
  return new Uint8Array(message.write());
}
