/**
 * The identity a CBIS-DDSM TCIA file is stored under. Each TCIA file is its own study with a
 * patient id like `Mass-Training_P_00001_LEFT_CC` and no laterality or view attributes; the
 * workstation files a patient's views in one study (main/studies/cbis/cbisIdentity.ts) and the
 * stored file must say what the database says, or an export or PACS push referencing the image
 * would name an instance no file holds. The rewrite itself runs in the decode worker
 * (main/imaging/dicomHeaderRewrite.ts).
 */
import type { ParsedDicom } from '../../imaging/dicomFile.js';
import { REWRITABLE_TRANSFER_SYNTAXES, type HeaderElement } from '../../imaging/dicomHeaderRewrite.js';
import type { CbisImageIdentity } from './cbisIdentity.js';

/**
 * The elements that give a file the case table's identity: patient id, study / series / instance
 * UIDs (the meta header's too), image laterality and view position.
 */
export function caseIdentityElements(identity: CbisImageIdentity): HeaderElement[] {
  return [
    { tag: '00100020', vr: 'LO', value: identity.patientId },
    { tag: '0020000D', vr: 'UI', value: identity.studyUid },
    { tag: '0020000E', vr: 'UI', value: identity.seriesUid },
    { tag: '00080018', vr: 'UI', value: identity.sopInstanceUid },
    { tag: '00020003', vr: 'UI', value: identity.sopInstanceUid },
    { tag: '00200062', vr: 'CS', value: identity.laterality },
    { tag: '00185101', vr: 'CS', value: identity.view },
  ];
}

/** Why a file cannot take the case identity with its pixels unchanged, or null. */
export function caseIdentityRefusal(parsed: ParsedDicom): string | null {
  const syntax = parsed.transferSyntaxUid;
  return REWRITABLE_TRANSFER_SYNTAXES.includes(syntax)
    ? null
    : `transfer syntax ${syntax}: a CBIS-DDSM file is expected uncompressed (little endian)`;
}
