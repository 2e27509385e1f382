/**
 * What the DICOM exports share: identity modules copied from the source study, stable derived
 * UIDs, and a Part 10 writer (dcmjs).
 *
 * Source images that are not DICOM (mini-MIAS PNG/PGM) already have stable UIDs: the importer
 * derives the study, series and instance UIDs from the MIAS reference number
 * (main/studies/mias/miasCaseIdentity.ts) and records them in the images table; the viewer gets the
 * same instance UID in the MG "For Presentation" object the server wraps the raster in
 * (main/server/rasterToDicom.ts). The exports reference those UIDs with that SOP class.
 */
import { readFileSync } from 'node:fs';
import dcmjs from 'dcmjs';
import type { Image, Series, StudyDetail } from '../../api/domain.js';
import { sha256Hex } from '../../common/sha256.js';
import { decodePgm, decodePng, isPng } from '../../imaging/rasterFormats.js';
import { estimateChestWallSide } from '../../api/chestWallSide.js';
import { MG_FOR_PRESENTATION_SOP_CLASS } from '../../server/rasterToDicom.js';
import type { Workspace } from '../../workspace/Workspace.js';

const { DicomDict, DicomMetaDictionary, DicomMessage } = dcmjs.data;
dcmjs.log.setLevel('error');

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const SEGMENTATION_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
export const MAMMOGRAPHY_CAD_SR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.50';
/** Identifies this software in the files it writes (a 2.25 UUID-derived UID). */
export const IMPLEMENTATION_CLASS_UID = '2.25.163018442447126138582740633617213372043';
export const SOFTWARE_VERSION = '0.1.0';
export const MANUFACTURER = 'Mammo Workstation (research software)';

export type Dataset = Record<string, unknown>;

export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export function code(value: string, scheme: string, meaning: string): Code {
  return { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning };
}

/** A UID under 2.25 from 120 bits of a hash of a name: the same name always gives the same UID. */
export function derivedUid(name: string): string {
  return `2.25.${BigInt(`0x${sha256Hex(name).slice(0, 30)}`).toString(10)}`;
}

/** What an export needs to know about a source image to reference it. */
export interface SourceImage {
  image: Image;
  series: Series;
  sopClassUid: string;
  /** From the source file when it is DICOM. */
  frameOfReferenceUid: string | null;
  patientOrientation: string[] | null;
}

/** The attributes copied from a DICOM source file, when there is one. */
interface SourceAttributes {
  StudyTime?: string;
  StudyID?: string;
  ReferringPhysicianName?: unknown;
  FrameOfReferenceUID?: string;
  PatientOrientation?: string | string[];
  SOPClassUID?: string;
  BurnedInAnnotation?: string;
}

/** Reads the identity the exports copy: from the database, and from the source file if it is DICOM. */
export class SourceReader {
  private readonly cache = new Map<number, SourceAttributes>();

  constructor(private readonly workspace: Workspace) {}

  source(detail: StudyDetail, image: Image): SourceImage {
    const series = detail.series.find((s) => s.id === image.seriesId);
    if (!series) throw new Error(`image ${image.id}: its series is missing`);
    const attributes = this.attributes(image);
    const orientation = attributes.PatientOrientation;
    return {
      image,
      series,
      sopClassUid: image.sopClassUid ?? attributes.SOPClassUID ?? MG_FOR_PRESENTATION_SOP_CLASS,
      frameOfReferenceUid: attributes.FrameOfReferenceUID ?? null,
      patientOrientation:
        orientation === undefined ? null : Array.isArray(orientation) ? orientation : orientation.split('\\'),
    };
  }

  /**
   * PatientOrientation (0020,0020) of a DICOM source, [row direction, column direction], or null
   * when absent or not DICOM (a research image is hung as this workstation writes it).
   */
  dicomPatientOrientation(image: Image): string[] | null {
    if (image.format !== 'dicom') return null;
    const orientation = this.attributes(image).PatientOrientation;
    if (orientation === undefined || orientation === '') return null;
    return Array.isArray(orientation) ? orientation : orientation.split('\\');
  }

  /** BurnedInAnnotation (0028,0301) of a DICOM source: 'YES', 'NO', or null when absent or not DICOM. */
  burnedInAnnotation(image: Image): string | null {
    return image.format === 'dicom' ? (this.attributes(image).BurnedInAnnotation ?? null) : null;
  }

  /** Patient and General Study modules (type 2 attributes present, empty when unknown). */
  patientStudy(detail: StudyDetail): Dataset {
    const { study } = detail;
    const first = detail.images.find((i) => i.format === 'dicom');
    const attributes = first ? this.attributes(first) : {};
    return {
      PatientName: study.patient.name ?? '',
      PatientID: study.patient.patientId,
      PatientBirthDate: study.patient.birthDate ?? '',
      PatientSex: study.patient.sex ?? '',
      StudyInstanceUID: study.studyUid,
      StudyDate: study.studyDate ?? '',
      StudyTime: attributes.StudyTime ?? '',
      ReferringPhysicianName: attributes.ReferringPhysicianName ?? '',
      StudyID: attributes.StudyID ?? '',
      AccessionNumber: study.accessionNumber ?? '',
      ...(study.description ? { StudyDescription: study.description } : {}),
    };
  }

  private attributes(image: Image): SourceAttributes {
    let cached = this.cache.get(image.id);
    if (!cached && image.format !== 'dicom') {
      // The orientation the server writes when it wraps the raster (rasterToDicom).
      const bytes = readFileSync(this.workspace.resolvePath(image.path));
      const raster = isPng(bytes) ? decodePng(bytes) : decodePgm(bytes);
      const rowDirection = estimateChestWallSide(raster) === 'left' ? 'A' : 'P';
      const columnDirection = image.view?.includes('CC') ? (image.laterality === 'L' ? 'R' : 'L') : 'F';
      cached = { PatientOrientation: [rowDirection, columnDirection] };
      this.cache.set(image.id, cached);
    }
    if (!cached) {
      const bytes = readFileSync(this.workspace.resolvePath(image.path));
      // Stop before the pixel data: only the header is needed.
      const parsed = DicomMessage.readFile(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        {
          ignoreErrors: true,
          untilTag: '7FE00010',
        },
      );
      const natural = DicomMetaDictionary.naturalizeDataset(parsed.dict) as SourceAttributes & Dataset;
      cached = {
        ...(typeof natural.StudyTime === 'string' ? { StudyTime: natural.StudyTime } : {}),
        ...(typeof natural.StudyID === 'string' ? { StudyID: natural.StudyID } : {}),
        ...(natural.ReferringPhysicianName !== undefined
          ? { ReferringPhysicianName: natural.ReferringPhysicianName }
          : {}),
        ...(typeof natural.FrameOfReferenceUID === 'string'
          ? { FrameOfReferenceUID: natural.FrameOfReferenceUID }
          : {}),
        ...(natural.PatientOrientation !== undefined
          ? { PatientOrientation: natural.PatientOrientation }
          : {}),
        ...(typeof natural.SOPClassUID === 'string' ? { SOPClassUID: natural.SOPClassUID } : {}),
        ...(typeof natural.BurnedInAnnotation === 'string'
          ? { BurnedInAnnotation: natural.BurnedInAnnotation }
          : {}),
      };
      this.cache.set(image.id, cached);
    }
    return cached;
  }
}

/** DA and TM of a moment, in UTC. */
export function dicomDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 19).replaceAll(':', '') };
}

/** The File Meta Information group (PS3.10 7.1) of a file this software writes. */
export function fileMetaInformation(
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntaxUid: string,
): Dataset {
  return {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'MAMMO_0_1',
  };
}

/** A Part 10 file (explicit VR little endian) of a naturalised data set. */
export function writePart10(input: Dataset): Uint8Array {
  // UTF-8 only when a value needs it; plain ASCII files stay in the default repertoire.
  const dataset: Dataset = { ...input };
  delete dataset['SpecificCharacterSet'];
  const text = JSON.stringify(dataset, (_key, value: unknown) =>
    value instanceof ArrayBuffer ? null : value,
  );
  if ([...text].some((c) => c.charCodeAt(0) > 0x7e)) dataset['SpecificCharacterSet'] = 'ISO_IR 192';
  const meta = fileMetaInformation(
    dataset['SOPClassUID'] as string,
    dataset['SOPInstanceUID'] as string,
    EXPLICIT_VR_LITTLE_ENDIAN,
  );
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** Parses a Part 10 file into a naturalised data set. */
export function readPart10(bytes: Uint8Array): Dataset {
  const parsed = DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  return DicomMetaDictionary.naturalizeDataset(parsed.dict);
}
