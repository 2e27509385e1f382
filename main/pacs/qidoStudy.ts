/** QIDO-RS queries and results: the workstation's query as DICOMweb parameters, and back. */
import type { PacsQuery, PacsStudy } from '../api/pacs.js';
import { DEFAULT_QUERY_LIMIT } from './constants.js';
import type { DicomJson } from './DicomwebConnection.js';

/** Attributes asked for beyond the QIDO-RS defaults. */
const STUDY_INCLUDE_FIELDS = ['00081030', '00201208', '00080061'];

/**
 * The QIDO-RS parameters of a study search (PS3.18 8.3.4): names match with a trailing
 * wildcard, dates as a range, modality MG by default.
 *
 * @example
 * studyQueryParams({ node: 'pacs', patientName: 'Doe', from: '20240101' });
 * // { PatientName: 'Doe*', StudyDate: '20240101-', ModalitiesInStudy: 'MG', limit: '100', includefield: '...' }
 */
export function studyQueryParams(query: PacsQuery): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.patientName) params['PatientName'] = withWildcard(query.patientName);
  if (query.patientId) params['PatientID'] = query.patientId;
  if (query.accessionNumber) params['AccessionNumber'] = query.accessionNumber;
  if (query.from || query.to) params['StudyDate'] = `${query.from ?? ''}-${query.to ?? ''}`;
  const modality = query.modality ?? 'MG';
  if (modality) params['ModalitiesInStudy'] = modality;
  params['limit'] = String(query.limit ?? DEFAULT_QUERY_LIMIT);
  params['includefield'] = STUDY_INCLUDE_FIELDS.join(',');
  return params;
}

function withWildcard(value: string): string {
  return value.endsWith('*') ? value : `${value}*`;
}

/** A QIDO-RS study result as the worklist's PACS tab shows it. */
export function toPacsStudy(json: DicomJson, localStudyId: number | null): PacsStudy | null {
  const studyInstanceUid = text(json, '0020000D');
  if (!studyInstanceUid) return null;
  const instances = first(json, '00201208');
  return {
    studyInstanceUid,
    patientId: text(json, '00100020'),
    patientName: personName(json, '00100010'),
    studyDate: text(json, '00080020'),
    accessionNumber: text(json, '00080050'),
    description: text(json, '00081030'),
    modalities: (json['00080061']?.Value ?? []).filter((v): v is string => typeof v === 'string'),
    numberOfInstances: typeof instances === 'number' ? instances : instances ? Number(instances) : null,
    localStudyId,
  };
}

/** One instance of a QIDO-RS instance search. */
export interface QidoInstance {
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string | null;
  modality: string | null;
  instanceNumber: number | null;
}

export function toQidoInstance(json: DicomJson): QidoInstance | null {
  const seriesInstanceUid = text(json, '0020000E');
  const sopInstanceUid = text(json, '00080018');
  if (!seriesInstanceUid || !sopInstanceUid) return null;
  const number = first(json, '00200013');
  return {
    seriesInstanceUid,
    sopInstanceUid,
    sopClassUid: text(json, '00080016'),
    modality: text(json, '00080060'),
    instanceNumber: number === undefined || number === null ? null : Number(number),
  };
}

/** Attributes the instance search asks for beyond the QIDO-RS defaults. */
export const INSTANCE_INCLUDE_FIELDS = ['00080060', '00200013'];

function first(json: DicomJson, tag: string): unknown {
  return json[tag]?.Value?.[0];
}

function text(json: DicomJson, tag: string): string | null {
  const value = first(json, tag);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** PN in DICOM JSON is `{ Alphabetic: 'Doe^Jane' }`. */
function personName(json: DicomJson, tag: string): string | null {
  const value = first(json, tag) as { Alphabetic?: string } | string | undefined;
  if (typeof value === 'string') return value || null;
  return value?.Alphabetic || null;
}
