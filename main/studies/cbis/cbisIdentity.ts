import type { Laterality } from '../../api/domain.js';
import { derivedUid } from '../derivedUid.js';
import type { CbisView } from './caseTable.js';

/** A CBIS-DDSM 800x800 copy's file name: `PPPPP_SIDE_VIEW.jpg` (CBIS-DDSM patient P_PPPPP). */
export const CBIS_IMAGE_NAME = /^(\d{5})_(LEFT|RIGHT)_(CC|MLO)\.(jpe?g|png)$/i;

export interface CbisImageIdentity {
  /** The case table's id, `P_00484`. */
  casePatientId: string;
  /** The workstation's patient id, `CBIS-DDSM-P_00484` (never collides with another data set's). */
  patientId: string;
  laterality: Exclude<Laterality, 'B'>;
  view: CbisView;
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
}

/** Identity from a file name; null for a name that is not a CBIS-DDSM image name. */
export function cbisImageIdentity(fileName: string): CbisImageIdentity | null {
  const match = CBIS_IMAGE_NAME.exec(fileName);
  if (!match) return null;
  const casePatientId = `P_${match[1]!}`;
  const laterality = match[2]!.toUpperCase() === 'LEFT' ? 'L' : 'R';
  const view = match[3]!.toUpperCase() as CbisView;
  return identityOf(casePatientId, laterality, view);
}

/** Identity of a case table row's image (the official TCIA layout). */
export function identityOf(casePatientId: string, laterality: 'L' | 'R', view: CbisView): CbisImageIdentity {
  const patientId = `CBIS-DDSM-${casePatientId}`;
  return {
    casePatientId,
    patientId,
    laterality,
    view,
    studyUid: derivedUid(`cbis-ddsm:study:${patientId}`),
    seriesUid: derivedUid(`cbis-ddsm:series:${patientId}:${laterality}${view}`),
    sopInstanceUid: derivedUid(`cbis-ddsm:image:${patientId}:${laterality}${view}`),
  };
}
