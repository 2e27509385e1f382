import { sha256Hex } from '../common/sha256.js';

/**
 * A UID under the 2.25 root (ISO/IEC 9834-8), from 120 bits of a hash of the name: data sets without
 * DICOM identifiers get UIDs that a re-import maps to the same rows.
 */
export function derivedUid(name: string): string {
  return `2.25.${BigInt(`0x${sha256Hex(name).slice(0, 30)}`).toString(10)}`;
}
