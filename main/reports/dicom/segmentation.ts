/**
 * DICOM Segmentation objects (SOP class 1.2.840.10008.5.1.4.1.1.66.4) of one mammogram: the
 * reader's final mask as a BINARY segmentation, or the AI's probability map as a FRACTIONAL
 * (PROBABILITY) one. One frame, one segment, referencing the source image by UID.
 *
 * No Frame of Reference module is written: a projection mammogram has no patient-space plane
 * position, so the segmentation is tied to its source through the Derivation Image and Common
 * Instance Reference modules, pixel for pixel (same rows and columns).
 */
import type { Dataset, SourceImage } from './dicomCommon.js';
import {
  code,
  dicomDateTime,
  MANUFACTURER,
  SEGMENTATION_SOP_CLASS,
  SOFTWARE_VERSION,
} from './dicomCommon.js';

export interface SegmentationInput {
  source: SourceImage;
  /** Patient and General Study attributes. */
  patientStudy: Dataset;
  kind: 'binary' | 'fractional';
  /** rows * columns; binary: non-zero inside; fractional: 0..255 = probability 0..1. */
  pixels: Uint8Array;
  label: string;
  description: string;
  /** The reader who made the content; empty for a probability map (the algorithm is named instead). */
  creator: string;
  /** The model behind the content, if any. */
  algorithm: { name: string; version: string } | null;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  seriesNumber: number;
  /** Defaults: 'Final lesion masks' / 'AI probability maps'. */
  seriesDescription?: string;
  /** Content Label (CS, at most 16 characters); defaults: LESION_MASK / AI_PROBABILITY. */
  contentLabel?: string;
  createdAt: Date;
}

/** Segmented property of the lesion segment: category and type from SNOMED CT (CID 7150 / 7151). */
const CATEGORY = code('49755003', 'SCT', 'Morphologically Altered Structure');
const LESION = code('52988006', 'SCT', 'Lesion');
const BREAST = code('76752008', 'SCT', 'Breast');
const LATERALITY = { R: code('24028007', 'SCT', 'Right'), L: code('7771000', 'SCT', 'Left') } as const;

/** (0062,000B) Referenced Segment Number and (0062,000A) Segment Identification Sequence as AT values. */
const REFERENCED_SEGMENT_NUMBER_TAG = 0x0062000b;
const SEGMENT_IDENTIFICATION_SEQUENCE_TAG = 0x0062000a;

/** The naturalised data set of a one-frame segmentation. */
export function buildSegmentation(input: SegmentationInput): Dataset {
  const { source, kind } = input;
  const { image } = source;
  const { date, time } = dicomDateTime(input.createdAt);
  const binary = kind === 'binary';
  const pixelData = binary ? packBits(input.pixels) : evenLength(input.pixels);
  const dimensionOrganizationUid = `${input.sopInstanceUid}.1`;
  const laterality = image.laterality === 'L' || image.laterality === 'R' ? image.laterality : null;
  const algorithmType = input.algorithm ? (binary ? 'SEMIAUTOMATIC' : 'AUTOMATIC') : 'MANUAL';
  const segment: Dataset = {
    SegmentNumber: 1,
    SegmentLabel: lo(input.label),
    SegmentDescription: input.description,
    SegmentAlgorithmType: algorithmType,
    ...(input.algorithm
      ? {
          SegmentAlgorithmName: lo(input.algorithm.name),
          SegmentationAlgorithmIdentificationSequence: [
            {
              AlgorithmFamilyCodeSequence: [code('123110', 'DCM', 'Artificial Intelligence')],
              AlgorithmName: lo(input.algorithm.name),
              AlgorithmVersion: lo(input.algorithm.version),
            },
          ],
        }
      : {}),
    SegmentedPropertyCategoryCodeSequence: [CATEGORY],
    SegmentedPropertyTypeCodeSequence: [LESION],
    AnatomicRegionSequence: [
      { ...BREAST, ...(laterality ? { AnatomicRegionModifierSequence: [LATERALITY[laterality]] } : {}) },
    ],
    RecommendedDisplayCIELabValue: binary ? [43803, 26565, 37722] : [61170, 32896, 47780],
  };
  return {
    SOPClassUID: SEGMENTATION_SOP_CLASS,
    SOPInstanceUID: input.sopInstanceUid,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    ...input.patientStudy,
    // General Series + Segmentation Series.
    Modality: 'SEG',
    SeriesInstanceUID: input.seriesInstanceUid,
    SeriesNumber: input.seriesNumber,
    SeriesDescription: input.seriesDescription ?? (binary ? 'Final lesion masks' : 'AI probability maps'),
    // General Equipment + Enhanced General Equipment.
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: 'mammo-workstation',
    DeviceSerialNumber: 'none',
    SoftwareVersions: SOFTWARE_VERSION,
    // General Image.
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    PatientOrientation: source.patientOrientation ?? '',
    ...(laterality ? { ImageLaterality: laterality } : {}),
    // Image Pixel + Segmentation Image.
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentLabel: input.contentLabel ?? (binary ? 'LESION_MASK' : 'AI_PROBABILITY'),
    ContentDescription: lo(input.description),
    ContentCreatorName: input.creator,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: image.rows,
    Columns: image.columns,
    BitsAllocated: binary ? 1 : 8,
    BitsStored: binary ? 1 : 8,
    HighBit: binary ? 0 : 7,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: binary ? 'BINARY' : 'FRACTIONAL',
    ...(binary ? {} : { SegmentationFractionalType: 'PROBABILITY', MaximumFractionalValue: 255 }),
    SegmentSequence: [segment],
    // Multi-frame Functional Groups + Multi-frame Dimension.
    NumberOfFrames: 1,
    SharedFunctionalGroupsSequence: [
      {
        DerivationImageSequence: [
          {
            SourceImageSequence: [
              {
                ReferencedSOPClassUID: source.sopClassUid,
                ReferencedSOPInstanceUID: image.sopInstanceUid,
                PurposeOfReferenceCodeSequence: [
                  code('121322', 'DCM', 'Source image for image processing operation'),
                ],
              },
            ],
            DerivationCodeSequence: [code('113076', 'DCM', 'Segmentation')],
          },
        ],
      },
    ],
    PerFrameFunctionalGroupsSequence: [
      {
        FrameContentSequence: [{ DimensionIndexValues: [1] }],
        SegmentIdentificationSequence: [{ ReferencedSegmentNumber: 1 }],
      },
    ],
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: REFERENCED_SEGMENT_NUMBER_TAG,
        FunctionalGroupPointer: SEGMENT_IDENTIFICATION_SEQUENCE_TAG,
        DimensionDescriptionLabel: 'Segment Number',
      },
    ],
    // Common Instance Reference.
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: source.series.seriesUid,
        ReferencedInstanceSequence: [
          { ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid },
        ],
      },
    ],
    PixelData: [toArrayBuffer(pixelData)],
    _vrMap: { PixelData: 'OB' },
  };
}

/** LO values hold at most 64 characters. */
function lo(text: string): string {
  return text.length > 64 ? `${text.slice(0, 63)}~` : text;
}

/** Packs a mask one bit per pixel, first pixel in the lowest bit (PS3.5 8.1.1), padded to even length. */
export function packBits(mask: Uint8Array): Uint8Array {
  const bytes = Math.ceil(mask.length / 8);
  const out = new Uint8Array(bytes + (bytes % 2));
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The inverse of {@link packBits}: 255 inside, 0 outside, starting at a pixel offset. */
export function unpackBits(bytes: Uint8Array, count: number, firstPixel = 0): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = firstPixel + i;
    if ((bytes[bit >> 3]! >> (bit & 7)) & 1) out[i] = 255;
  }
  return out;
}

function evenLength(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
