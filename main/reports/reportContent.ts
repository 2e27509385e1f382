/**
 * The content of a report export: one object that the JSON export writes as it is and the PDF
 * lays out, so the two always say the same thing.
 */
import type { FindingType } from '../api/annotations.js';
import { detectedFindingTypes, detectionScope } from '../api/detectedFindings.js';
import type { Image, StudyDetail } from '../api/domain.js';
import type { BiRadsCategory, DensityCategory, Report, ReportFinding } from '../api/reports.js';
import { DECISION_SUPPORT_STATEMENT } from '../api/reports.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import type { ImageMaterial } from './StudyMaterial.js';

export const BIRADS_MEANINGS: Readonly<Record<BiRadsCategory, string>> = {
  '0': 'Incomplete: need additional imaging evaluation',
  '1': 'Negative',
  '2': 'Benign',
  '3': 'Probably benign',
  '4': 'Suspicious',
  '4A': 'Low suspicion for malignancy',
  '4B': 'Moderate suspicion for malignancy',
  '4C': 'High suspicion for malignancy',
  '5': 'Highly suggestive of malignancy',
  '6': 'Known biopsy-proven malignancy',
};

export const DENSITY_MEANINGS: Readonly<Record<DensityCategory, string>> = {
  a: 'The breasts are almost entirely fatty',
  b: 'There are scattered areas of fibroglandular density',
  c: 'The breasts are heterogeneously dense, which may obscure small masses',
  d: 'The breasts are extremely dense, which lowers the sensitivity of mammography',
};

export interface ReportImageEntry {
  imageId: number;
  sopInstanceUid: string;
  laterality: Image['laterality'];
  view: string | null;
  rows: number;
  columns: number;
  pixelSpacingMm: [number, number] | null;
  finalMask: {
    annotationId: number;
    version: number;
    author: string;
    createdAt: string;
    positivePixels: number;
  } | null;
  prediction: {
    modelId: string;
    backend: string;
    findingThreshold: number;
    imageScore: number;
    findings: number;
  } | null;
}

export interface ReportModelEntry {
  modelId: string;
  architecture: string | null;
  createdAt: string | null;
  backend: string;
  findingThreshold: number;
  imageThreshold: number | null;
  /** The finding types the model looks for (its card's; masses only when the card does not say). */
  detects: FindingType[];
  /** One sentence on what it detects and what it does not look for. */
  detectionScope: string;
}

export interface ReportContent {
  format: 'mammo-workstation.report/1';
  generatedAt: string;
  disclaimer: string;
  patient: { patientId: string; name: string | null; birthDate: string | null; sex: string | null };
  study: {
    studyId: number;
    studyInstanceUid: string;
    studyDate: string | null;
    accessionNumber: string | null;
    description: string | null;
    source: string;
  };
  /** The saved report version, or null when none was saved and the content is a pre-filled preview. */
  report: {
    id: number;
    version: number;
    status: Report['status'];
    amendsId: number | null;
    amendmentReason: string | null;
    createdAt: string;
    finalizedAt: string | null;
  } | null;
  reader: string;
  assessment: {
    biRads: BiRadsCategory | null;
    biRadsMeaning: string | null;
    density: DensityCategory | null;
    densityMeaning: string | null;
  };
  findings: ReportFinding[];
  impression: string;
  images: ReportImageEntry[];
  ai: ReportModelEntry[];
}

export function buildReportContent(
  detail: StudyDetail,
  images: readonly ImageMaterial[],
  report: Pick<Report, 'biRads' | 'density' | 'findings' | 'impression' | 'reader'> & Partial<Report>,
  registry: ModelRegistry,
  generatedAt = new Date(),
): ReportContent {
  const { study } = detail;
  const models = new Map<string, ReportModelEntry>();
  for (const { prediction } of images) {
    if (
      !prediction ||
      models.has(`${prediction.modelId}|${prediction.backend}|${prediction.findingThreshold}`)
    )
      continue;
    const card = registry.get(prediction.modelId)?.card;
    const detects = detectedFindingTypes(card ?? {});
    models.set(`${prediction.modelId}|${prediction.backend}|${prediction.findingThreshold}`, {
      modelId: prediction.modelId,
      architecture: card?.architecture ?? null,
      createdAt: card?.createdAt ?? null,
      backend: prediction.backend,
      findingThreshold: prediction.findingThreshold,
      imageThreshold: card?.thresholds.image ?? null,
      detects,
      detectionScope: detectionScope(detects),
    });
  }
  return {
    format: 'mammo-workstation.report/1',
    generatedAt: generatedAt.toISOString(),
    disclaimer: DECISION_SUPPORT_STATEMENT,
    patient: {
      patientId: study.patient.patientId,
      name: study.patient.name,
      birthDate: study.patient.birthDate,
      sex: study.patient.sex,
    },
    study: {
      studyId: study.id,
      studyInstanceUid: study.studyUid,
      studyDate: study.studyDate,
      accessionNumber: study.accessionNumber,
      description: study.description,
      source: study.source,
    },
    report:
      report.id !== undefined && report.version !== undefined && report.status !== undefined
        ? {
            id: report.id,
            version: report.version,
            status: report.status,
            amendsId: report.amendsId ?? null,
            amendmentReason: report.amendmentReason ?? null,
            createdAt: report.createdAt ?? '',
            finalizedAt: report.finalizedAt ?? null,
          }
        : null,
    reader: report.reader,
    assessment: {
      biRads: report.biRads,
      biRadsMeaning: report.biRads ? BIRADS_MEANINGS[report.biRads] : null,
      density: report.density,
      densityMeaning: report.density ? DENSITY_MEANINGS[report.density] : null,
    },
    findings: report.findings,
    impression: report.impression,
    images: images.map(({ image, annotation, prediction }) => ({
      imageId: image.id,
      sopInstanceUid: image.sopInstanceUid,
      laterality: image.laterality,
      view: image.view,
      rows: image.rows,
      columns: image.columns,
      pixelSpacingMm: image.pixelSpacingMm,
      finalMask: annotation
        ? {
            annotationId: annotation.id,
            version: annotation.version,
            author: annotation.author,
            createdAt: annotation.createdAt,
            positivePixels: annotation.positivePixels,
          }
        : null,
      prediction: prediction
        ? {
            modelId: prediction.modelId,
            backend: prediction.backend,
            findingThreshold: prediction.findingThreshold,
            imageScore: prediction.imageScore,
            findings: prediction.findings.length,
          }
        : null,
    })),
    ai: [...models.values()],
  };
}

/** "9 o'clock, outer, middle third" style text for a finding's location. */
export function describeLocation(finding: ReportFinding): string {
  const parts = [
    finding.clock !== null ? `${finding.clock} o'clock` : null,
    finding.region,
    finding.depth ? `${finding.depth} depth` : null,
  ];
  return parts.filter(Boolean).join(', ') || 'location not estimated';
}
