/** QIDO-RS queries and results: the workstation's query as DICOMweb parameters, and back. */
import type { PacsQuery, PacsStudy } from '../api/pacs.js';
import { DEFAULT_QUERY_LIMIT } from './constants.js';
import type { DicomJson, QidoParams } from './DicomwebConnection.js';

/** Attributes asked for beyond the QIDO-RS defaults: description, instance count, modalities. */
const STUDY_INCLUDE_FIELDS: readonly string[] = ['00081030', '00201208', '00080061'];

/**
 * What a search with no modality looks for: breast imaging. Mammography (MG) is breast imaging by
 * its modality; breast images are also stored as CR, DX or RG (film digitisers, general
 * radiography: the WG04 samples are RG), so studies of those count when a series of theirs has
 * BodyPartExamined BREAST.
 */
export const BREAST_IMAGING = Object.freeze({
  modality: 'MG',
  generalModalities: Object.freeze(['CR', 'DX', 'RG']),
  bodyPart: 'BREAST',
});

/** One QIDO-RS study search of a query, and whether its studies still need a breast series to count. */
export interface StudySearch {
  params: QidoParams;
  needsBreastSeries: boolean;
}

/**
 * The QIDO-RS searches of a query (PS3.18 8.3.4): names match with a trailing wildcard, dates as
 * a range, includefield repeated. With no modality given, breast imaging: MG, and CR, DX and RG
 * studies that must then show a breast series; '' searches every modality.
 *
 * @example
 * studySearches({ node: 'pacs', patientName: 'Doe' }).map((s) => s.params['ModalitiesInStudy']);
 * // ['MG', 'CR', 'DX', 'RG']
 */
export function studySearches(query: PacsQuery): StudySearch[] {
  const params: Record<string, string | readonly string[]> = {};
  if (query.patientName) params['PatientName'] = withWildcard(query.patientName);
  if (query.patientId) params['PatientID'] = query.patientId;
  if (query.accessionNumber) params['AccessionNumber'] = query.accessionNumber;
  if (query.from || query.to) params['StudyDate'] = `${query.from ?? ''}-${query.to ?? ''}`;
  params['limit'] = String(query.limit ?? DEFAULT_QUERY_LIMIT);
  params['includefield'] = STUDY_INCLUDE_FIELDS;
  if (query.modality !== undefined)
    return [
      {
        params: query.modality ? { ...params, ModalitiesInStudy: query.modality } : params,
        needsBreastSeries: false,
      },
    ];
  return [
    { params: { ...params, ModalitiesInStudy: BREAST_IMAGING.modality }, needsBreastSeries: false },
    ...BREAST_IMAGING.generalModalities.map((modality) => ({
      params: { ...params, ModalitiesInStudy: modality },
      needsBreastSeries: true,
    })),
  ];
}

/** The series search that says whether a study holds a breast series. */
export const BREAST_SERIES_PARAMS: QidoParams = Object.freeze({
  BodyPartExamined: BREAST_IMAGING.bodyPart,
  limit: '1',
});

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
