import type { Laterality } from '../../api/domain.js';
import { derivedUid } from '../derivedUid.js';

/** A mini-MIAS image's file name: `mdbNNN.png` or `.pgm`. */
export const MIAS_IMAGE_NAME = /^mdb(\d{3})\.(png|pgm)$/i;

export interface MiasCaseIdentity {
  imageNumber: number;
  patientId: string;
  laterality: Laterality;
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
}

/**
 * Patient and DICOM-style identifiers for a mini-MIAS image. Derived from the reference number
 * alone, so a re-import maps to the same rows. Images 2k-1 and 2k are patient k.
 */
export function miasCaseIdentity(refnum: string): MiasCaseIdentity {
  const imageNumber = Number.parseInt(refnum.replace(/^mdb/i, ''), 10);
  const patientNumber = Math.ceil(imageNumber / 2);
  const patientId = `MIAS-${String(patientNumber).padStart(3, '0')}`;
  return {
    imageNumber,
    patientId,
    laterality: imageNumber % 2 === 1 ? 'R' : 'L',
    studyUid: derivedUid(`mias:study:${patientId}`),
    seriesUid: derivedUid(`mias:series:${patientId}`),
    sopInstanceUid: derivedUid(`mias:image:${refnum.toLowerCase()}`),
  };
}
