/**
 * Mammography CAD SR (SOP class 1.2.840.10008.5.1.4.1.1.88.50), root template TID 4000: the CAD's
 * output, i.e. every AI finding of the analysed images, with what the reader decided about each.
 *
 * What is written, following TID 4000's structure:
 * - the Image Library (111028) with one IMAGE item per analysed image, with its laterality
 *   (111027) and view (111031) as acquisition context;
 * - CAD Processing and Findings Summary (111017), inferred from one Individual
 *   Impression/Recommendation container (111034) per finding: the Finding (121071) code with its
 *   Rendering Intent (111056), Certainty of Finding (111012, the AI's maximum probability in %),
 *   its Center (111010, a POINT) and Outline (111041, the bounding box as a closed POLYLINE), each
 *   SCOORD selected from its image, and the reader's decision as a Comment (121106);
 * - Summary of Detections (111064: Succeeded, or Partially Succeeded when some images were not
 *   analysed) and Summary of Analyses (111065: Not Attempted), with the algorithm name, version and
 *   parameters (111001, 111003, 111002) as properties of the detections summary.
 *
 * Why these concepts: the network's output is an abnormality score, not a calibrated probability of
 * malignancy, so it is a Certainty of Finding, not a Probability of cancer (111047). Rendering
 * intent follows the CAD's operating point, as a CAD display would mark it: Presentation Required
 * (111150) at or above it, Presentation Optional (111151) below it, and Not for Presentation
 * (111152) for a finding the reader rejected.
 *
 * Finding types: an AI finding has no type and is the generic SNOMED CT 52988006 "Lesion"; typed
 * findings use SNOMED CT breast imaging findings (mammographic breast mass, calcification cluster,
 * architectural distortion, asymmetric breast tissue). The tree passes DCMTK's Mammography CAD SR
 * relationship constraints (dsrdump) and the IOD checks of dciodvfy; the template rows themselves
 * are not machine-checked here.
 */
import type { FindingType } from '../../api/annotations.js';
import type { Code, Dataset, SourceImage } from './dicomCommon.js';
import {
  code,
  dicomDateTime,
  MAMMOGRAPHY_CAD_SR_SOP_CLASS,
  MANUFACTURER,
  SOFTWARE_VERSION,
} from './dicomCommon.js';

/** One CAD mark: an AI finding of one image. */
export interface CadSrFinding {
  imageId: number;
  /** Null for the AI's untyped findings (coded as "Lesion"). */
  type: FindingType | null;
  /** The AI's maximum probability in the finding, 0..1. */
  score: number;
  /** Whether the score reaches the model's recommended operating point (its card's finding threshold). */
  aboveOperatingPoint: boolean;
  /** The reader's decision on this finding, null when none was recorded. */
  readerDecision: 'accepted' | 'rejected' | null;
  centroidRow: number;
  centroidColumn: number;
  /** Inclusive pixel bounds, drawn as the outline. */
  bounds: { top: number; left: number; bottom: number; right: number } | null;
}

export interface CadSrInput {
  patientStudy: Dataset;
  studyInstanceUid: string;
  images: SourceImage[];
  findings: CadSrFinding[];
  /** 'partial' when some of the study's images were not analysed. */
  detections: 'succeeded' | 'partial';
  algorithm: { name: string; version: string; parameters: string } | null;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  seriesNumber: number;
  createdAt: Date;
}

const DCM = (value: string, meaning: string): Code => code(value, 'DCM', meaning);
const SCT = (value: string, meaning: string): Code => code(value, 'SCT', meaning);

const LATERALITY: Record<'L' | 'R', Code> = { R: SCT('24028007', 'Right'), L: SCT('7771000', 'Left') };
const VIEWS: Record<string, Code> = {
  CC: SCT('399162004', 'cranio-caudal'),
  MLO: SCT('399368009', 'medio-lateral oblique'),
  ML: SCT('399260004', 'medio-lateral'),
  LM: SCT('399352003', 'latero-medial'),
  XCCL: SCT('399099002', 'cranio-caudal exaggerated laterally'),
  XCCM: SCT('399192003', 'cranio-caudal exaggerated medially'),
};
/** Reader finding types as breast imaging findings (SNOMED CT, as in the DICOM breast finding context groups). */
const FINDING_CODES: Record<FindingType, Code> = {
  mass: SCT('129788004', 'Mammographic breast mass'),
  calcification: SCT('129769006', 'Calcification Cluster'),
  distortion: SCT('129792006', 'Architectural distortion of breast'),
  asymmetry: SCT('129790003', 'Asymmetric breast tissue'),
};
const LESION = SCT('52988006', 'Lesion');
const SUCCEEDED = DCM('111222', 'Succeeded');
const PARTIALLY_SUCCEEDED = DCM('111223', 'Partially Succeeded');
const NOT_ATTEMPTED = DCM('111225', 'Not Attempted');
const PRESENTATION_REQUIRED = DCM('111150', 'Presentation Required: Rendering device is expected to present');
const PRESENTATION_OPTIONAL = DCM('111151', 'Presentation Optional: Rendering device may present');
const NOT_FOR_PRESENTATION = DCM('111152', 'Not for Presentation: Rendering device expected not to present');

function renderingIntent(finding: CadSrFinding): Code {
  if (finding.readerDecision === 'rejected') return NOT_FOR_PRESENTATION;
  return finding.aboveOperatingPoint ? PRESENTATION_REQUIRED : PRESENTATION_OPTIONAL;
}

type Item = Dataset;

function container(relationship: string | null, concept: Code, children: Item[]): Item {
  return {
    ...(relationship ? { RelationshipType: relationship } : {}),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [concept],
    ContinuityOfContent: 'SEPARATE',
    ...(children.length ? { ContentSequence: children } : {}),
  };
}

function codeItem(relationship: string, concept: Code, value: Code, children: Item[] = []): Item {
  return {
    RelationshipType: relationship,
    ValueType: 'CODE',
    ConceptNameCodeSequence: [concept],
    ConceptCodeSequence: [value],
    ...(children.length ? { ContentSequence: children } : {}),
  };
}

function textItem(relationship: string, concept: Code, text: string): Item {
  return {
    RelationshipType: relationship,
    ValueType: 'TEXT',
    ConceptNameCodeSequence: [concept],
    TextValue: text,
  };
}

function numItem(relationship: string, concept: Code, value: number, unit: Code): Item {
  return {
    RelationshipType: relationship,
    ValueType: 'NUM',
    ConceptNameCodeSequence: [concept],
    MeasuredValueSequence: [{ NumericValue: Number(value.toFixed(4)), MeasurementUnitsCodeSequence: [unit] }],
  };
}

function imageItem(relationship: string, source: SourceImage, children: Item[] = []): Item {
  return {
    RelationshipType: relationship,
    ValueType: 'IMAGE',
    ReferencedSOPSequence: [
      { ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.image.sopInstanceUid },
    ],
    ...(children.length ? { ContentSequence: children } : {}),
  };
}

/** SCOORD in image pixels: DICOM columns/rows with (0,0) the top-left corner of the top-left pixel. */
function scoord(
  concept: Code,
  graphicType: 'POINT' | 'POLYLINE',
  points: number[],
  source: SourceImage,
): Item {
  return {
    RelationshipType: 'INFERRED FROM',
    ValueType: 'SCOORD',
    ConceptNameCodeSequence: [concept],
    GraphicType: graphicType,
    GraphicData: points,
    ContentSequence: [imageItem('SELECTED FROM', source)],
  };
}

/** The naturalised data set of the CAD SR. */
export function buildCadSr(input: CadSrInput): Dataset {
  const { date, time } = dicomDateTime(input.createdAt);
  const byImage = new Map(input.images.map((s) => [s.image.id, s]));
  const library = input.images.map((source) => {
    const context: Item[] = [];
    const laterality = source.image.laterality;
    if (laterality === 'L' || laterality === 'R')
      context.push(codeItem('HAS ACQ CONTEXT', DCM('111027', 'Image Laterality'), LATERALITY[laterality]));
    const view = source.image.view ? VIEWS[source.image.view.toUpperCase()] : undefined;
    if (view) context.push(codeItem('HAS ACQ CONTEXT', DCM('111031', 'Image View'), view));
    return imageItem('CONTAINS', source, context);
  });

  const impressions = input.findings.flatMap((finding) => {
    const { bounds } = finding;
    const source = byImage.get(finding.imageId);
    if (!source) return [];
    const x = finding.centroidColumn + 0.5;
    const y = finding.centroidRow + 0.5;
    const intent = renderingIntent(finding);
    const evidence: Item[] = [
      codeItem('HAS PROPERTIES', DCM('111056', 'Rendering Intent'), intent),
      numItem(
        'HAS PROPERTIES',
        DCM('111012', 'Certainty of Finding'),
        finding.score * 100,
        code('%', 'UCUM', 'Percent'),
      ),
      scoord(DCM('111010', 'Center'), 'POINT', [x, y], source),
    ];
    if (bounds) {
      const { top, left, bottom, right } = bounds;
      const outline = [left, top, right + 1, top, right + 1, bottom + 1, left, bottom + 1, left, top];
      evidence.push(scoord(DCM('111041', 'Outline'), 'POLYLINE', outline, source));
    }
    if (finding.readerDecision)
      evidence.push(
        textItem('HAS PROPERTIES', DCM('121106', 'Comment'), `Reader decision: ${finding.readerDecision}`),
      );
    const type = finding.type ? FINDING_CODES[finding.type] : LESION;
    return [
      container('INFERRED FROM', DCM('111034', 'Individual Impression/Recommendation'), [
        codeItem('CONTAINS', DCM('111056', 'Rendering Intent'), intent),
        codeItem('CONTAINS', DCM('121071', 'Finding'), type, evidence),
      ]),
    ];
  });
  const summary = impressions.length
    ? DCM('111242', 'All algorithms succeeded; with findings')
    : DCM('111241', 'All algorithms succeeded; without findings');
  const algorithm = input.algorithm
    ? [
        textItem('HAS PROPERTIES', DCM('111001', 'Algorithm Name'), input.algorithm.name),
        textItem('HAS PROPERTIES', DCM('111003', 'Algorithm Version'), input.algorithm.version),
        textItem('HAS PROPERTIES', DCM('111002', 'Algorithm Parameters'), input.algorithm.parameters),
      ]
    : [];

  const evidence = [
    {
      StudyInstanceUID: input.studyInstanceUid,
      ReferencedSeriesSequence: groupBySeries(input.images).map(([seriesUid, sources]) => ({
        SeriesInstanceUID: seriesUid,
        ReferencedSOPSequence: sources.map((s) => ({
          ReferencedSOPClassUID: s.sopClassUid,
          ReferencedSOPInstanceUID: s.image.sopInstanceUid,
        })),
      })),
    },
  ];

  return {
    SOPClassUID: MAMMOGRAPHY_CAD_SR_SOP_CLASS,
    SOPInstanceUID: input.sopInstanceUid,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    ...input.patientStudy,
    Modality: 'SR',
    SeriesInstanceUID: input.seriesInstanceUid,
    SeriesNumber: input.seriesNumber,
    SeriesDescription: 'Mammography CAD report',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: MANUFACTURER,
    SoftwareVersions: SOFTWARE_VERSION,
    InstanceNumber: 1,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: date,
    ContentTime: time,
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence,
    ...container(null, DCM('111036', 'Mammography CAD Report'), [
      container('CONTAINS', DCM('111028', 'Image Library'), library),
      codeItem('CONTAINS', DCM('111017', 'CAD Processing and Findings Summary'), summary, impressions),
      codeItem(
        'CONTAINS',
        DCM('111064', 'Summary of Detections'),
        input.detections === 'succeeded' ? SUCCEEDED : PARTIALLY_SUCCEEDED,
        algorithm,
      ),
      codeItem('CONTAINS', DCM('111065', 'Summary of Analyses'), NOT_ATTEMPTED),
    ]),
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '4000' }],
  };
}

function groupBySeries(images: readonly SourceImage[]): [string, SourceImage[]][] {
  const groups = new Map<string, SourceImage[]>();
  for (const source of images)
    groups.set(source.series.seriesUid, [...(groups.get(source.series.seriesUid) ?? []), source]);
  return [...groups.entries()];
}
