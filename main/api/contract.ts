/**
 * The back end's API, declared once. Electron IPC, the loopback HTTP server, the CLI and the
 * renderer's client are all derived from this table, so a method exists everywhere or nowhere.
 *
 * @example
 * const input = API_METHODS.importFiles.input.parse(untrusted); // throws a ZodError naming the field
 * const result = await api.importFiles(input);
 */
import { z } from 'zod';
import type { StudyDetail, StudySummary } from './domain.js';
import type { ImportProgress, ImportRequest, ImportResult } from './importing.js';
import type { ModelList, ModelVersion } from './models.js';
import type { AnalysisProgress, Prediction, StudyAnalysis } from './predictions.js';
import type { FineTuneJob, FineTunePlan, TrainingProgressInfo, TrainingSample } from './training.js';
import type { Annotation, AnnotationDraft, NextCase } from './annotations.js';
import { FINDING_TYPES } from './annotations.js';
import type { ExportResult, Report, ReportEdit } from './reports.js';
import { BIRADS_CATEGORIES, DENSITY_CATEGORIES, EXPORT_KINDS } from './reports.js';
import type {
  DicomListenerReceived,
  DicomListenerSettings,
  DicomListenerStatus,
  PacsConnectionTest,
  PacsNode,
  PacsNodeInput,
  PacsPush,
  PacsQuery,
  PacsRetrieveProgress,
  PacsRetrieveResult,
  PacsStudy,
} from './pacs.js';
import { PACS_AUTH_KINDS, PACS_PUSH_KINDS } from './pacs.js';

const importRequest = z.object({
  paths: z.array(z.string().min(1)).min(1),
  format: z.enum(['dicom', 'mias', 'cbis-ddsm']).default('dicom'),
});

const studyRef = z.object({ studyId: z.number().int().positive() });

const noInput = z.object({}).strict();

const modelId = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/)
  .optional();
const imageRef = z.object({ imageId: z.number().int().positive() });
/** Whose draft: the reader's name, '' for a reader who has not given one. */
const draftReader = z.string().trim().max(200).default('');
const coordinate = z.number().finite().nonnegative();
const findingExtent = z
  .object({ top: coordinate, left: coordinate, bottom: coordinate, right: coordinate })
  .refine((e) => e.bottom >= e.top && e.right >= e.left, 'an extent ends after it starts');
/**
 * Row runs of pixels, in raster order and apart (the order the editor writes them in). 1,000,000
 * runs is far above any outline's: a 4,084-row outline with 245 runs in every row.
 */
const pixelRuns = z
  .array(
    z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().positive()]),
  )
  .max(1_000_000)
  .refine(
    (runs) => runs.every((run, k) => k === 0 || inRasterOrder(runs[k - 1]!, run)),
    'runs in raster order, apart',
  );
function inRasterOrder(
  [row, column, length]: readonly [number, number, number],
  [nextRow, nextColumn]: readonly [number, number, number],
): boolean {
  return nextRow > row || (nextRow === row && nextColumn > column + length);
}
const findings = z.object({
  decisions: z
    .array(
      z.object({ findingIndex: z.number().int().positive(), decision: z.enum(['accepted', 'rejected']) }),
    )
    .max(1000),
  added: z
    .array(
      z.object({
        type: z.enum(FINDING_TYPES),
        centroidRow: z.number(),
        centroidColumn: z.number(),
        extent: findingExtent.optional(),
        // Outline vertices may lie outside the image (a drag past its edge); only their inside is painted.
        outline: z
          .array(z.tuple([z.number().finite(), z.number().finite()]))
          .min(3)
          .max(20_000)
          .optional(),
        painted: pixelRuns.optional(),
      }),
    )
    .max(1000),
});
/** Base64 PNG masks; 64 MB of text is far above any real mammogram mask. */
const maskPng = z
  .string()
  .min(8)
  .max(64 * 2 ** 20)
  .regex(/^[A-Za-z0-9+/]+=*$/, 'base64');

const reportRef = z.object({ reportId: z.number().int().positive() });
const reader = z.string().trim().min(1).max(200);
const reportFinding = z.object({
  source: z.enum(['ai', 'reader']),
  imageId: z.number().int().positive(),
  findingIndex: z.number().int().positive().nullable(),
  laterality: z.enum(['L', 'R']).nullable(),
  view: z.string().max(16).nullable(),
  type: z.enum(FINDING_TYPES).nullable(),
  clock: z.number().int().min(1).max(12).nullable(),
  region: z.enum(['outer', 'inner', 'upper', 'lower', 'central', 'retroareolar']).nullable(),
  depth: z.enum(['anterior', 'middle', 'posterior']).nullable(),
  sizeMm: z.number().nonnegative().nullable(),
  aiScore: z.number().min(0).max(1).nullable(),
  centroidRow: z.number(),
  centroidColumn: z.number(),
  note: z.string().max(2000),
});
const reportEdit = z.object({
  biRads: z.enum(BIRADS_CATEGORIES).nullable().optional(),
  density: z.enum(DENSITY_CATEGORIES).nullable().optional(),
  findings: z.array(reportFinding).max(1000).optional(),
  impression: z.string().max(20_000).optional(),
  reader: reader.optional(),
});

const pacsNodeName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or dash');
/** A DICOM AE title: 1-16 characters, no backslash or control characters. */
const aeTitle = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]+$/, 'printable characters without backslash');
const dicomUid = z
  .string()
  .max(64)
  .regex(/^[0-9]+(\.[0-9]+)*$/, 'a DICOM UID');
const dicomDate = z.string().regex(/^\d{8}$/, 'YYYYMMDD');
const tcpPort = z.number().int().min(1).max(65535);
const pacsNodeInput = z
  .object({
    name: pacsNodeName,
    url: z
      .string()
      .trim()
      .url()
      .regex(/^https?:\/\//, 'an http:// or https:// URL')
      // Credentials in the URL would be shown and logged with it: they belong in auth and secret.
      .refine((url) => !/^https?:\/\/[^/]*@/.test(url), 'no user or password in the URL; use auth'),
    auth: z.enum(PACS_AUTH_KINDS).default('none'),
    username: z.string().max(200).nullable().optional(),
    /** Write-only: stored in the workspace, never returned. */
    secret: z.string().max(10_000).nullable().optional(),
    aeTitle: aeTitle.nullable().optional(),
    host: z.string().trim().min(1).max(255).nullable().optional(),
    port: tcpPort.nullable().optional(),
  })
  .strict();
const pacsQuery = z
  .object({
    node: pacsNodeName,
    patientName: z.string().max(200).optional(),
    patientId: z.string().max(200).optional(),
    from: dicomDate.optional(),
    to: dicomDate.optional(),
    accessionNumber: z.string().max(64).optional(),
    modality: z
      .string()
      .regex(/^[A-Z]{0,16}$/)
      .optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** Runtime schemas of every method's input. */
export const API_METHODS = Object.freeze({
  importFiles: { input: importRequest },
  listStudies: { input: noInput },
  getStudy: { input: studyRef },
  listModels: { input: noInput },
  analyzeStudy: { input: studyRef.extend({ modelId, force: z.boolean().optional() }) },
  analyzeImage: {
    input: z.object({ imageId: z.number().int().positive(), modelId, force: z.boolean().optional() }),
  },
  promoteModel: { input: z.object({ modelId: z.string().min(1) }) },
  rollbackModel: { input: noInput },
  discardModel: { input: z.object({ modelId: z.string().min(1) }) },
  startFineTune: {
    input: z
      .object({
        steps: z.number().int().min(1).max(100_000).optional(),
        /** Side of the training crops; small values make quick trials. */
        size: z.number().int().min(32).max(1024).optional(),
        /** Promote the candidate when the gate passes (off by default: a person promotes it). */
        autoPromote: z.boolean().optional(),
      })
      .strict(),
  },
  planFineTune: { input: noInput },
  listJobs: { input: noInput },
  cancelJob: { input: z.object({ jobId: z.number().int().positive() }) },
  saveDraft: {
    input: imageRef.extend({
      reader: draftReader,
      baseVersion: z.number().int().nonnegative().nullable().default(null),
      maskPng,
      findings,
      modelId: z.string().nullable(),
      threshold: z.number().min(0).max(1).nullable(),
    }),
  },
  getDraft: { input: imageRef.extend({ reader: draftReader }) },
  discardDraft: { input: imageRef.extend({ reader: draftReader }) },
  saveAnnotation: {
    input: imageRef.extend({
      maskPng,
      author: z.string().min(1).max(200),
      modelId,
      threshold: z.number().min(0).max(1).optional(),
      parentId: z.number().int().positive().optional(),
      baseVersion: z.number().int().nonnegative().optional(),
      findings,
    }),
  },
  listAnnotations: { input: imageRef },
  getAnnotationMask: { input: z.object({ annotationId: z.number().int().positive() }) },
  getGroundTruthOutline: { input: z.object({ findingId: z.number().int().positive() }) },
  restoreAnnotation: {
    input: z.object({ annotationId: z.number().int().positive(), author: z.string().min(1).max(200) }),
  },
  nextCase: {
    input: z.object({
      strategy: z.enum(['uncertainty', 'random']).default('uncertainty'),
      excludeStudyId: z.number().int().positive().optional(),
    }),
  },
  listTrainingSamples: { input: z.object({ unlearnedOnly: z.boolean().optional() }) },
  listReports: { input: studyRef },
  startReport: { input: studyRef.extend({ reader }) },
  updateReport: { input: reportRef.extend(reportEdit.shape) },
  finalizeReport: { input: reportRef },
  amendReport: { input: reportRef.extend({ reader, reason: z.string().trim().min(1).max(2000) }) },
  /**
   * `outPath`: a file (pdf, json, sr) or a folder (seg, fractional-seg, training); absolute. Without
   * it (the UI, which never sends a path) the export gets a new name under
   * `<workspace>/exports/study-<id>/`.
   */
  // No output path over the transports: a client must not choose where the back end writes.
  // Exports go to <workspace>/exports/; the CLI (same process, the user's own shell) may choose.
  exportStudy: { input: studyRef.extend({ kind: z.enum(EXPORT_KINDS) }).strict() },
  listPacsNodes: { input: noInput },
  savePacsNode: { input: pacsNodeInput },
  removePacsNode: { input: z.object({ name: pacsNodeName }).strict() },
  testPacsNode: { input: z.object({ name: pacsNodeName }).strict() },
  queryPacs: { input: pacsQuery },
  retrievePacsStudy: { input: z.object({ node: pacsNodeName, studyInstanceUid: dicomUid }).strict() },
  cancelPacsRetrieve: { input: z.object({ studyInstanceUid: dicomUid }).strict() },
  sendToPacs: {
    input: studyRef.extend({ node: pacsNodeName, kind: z.enum(PACS_PUSH_KINDS) }).strict(),
  },
  retryPacsPush: { input: z.object({ pushId: z.number().int().positive() }).strict() },
  listPacsPushes: { input: studyRef.strict() },
  getDicomListener: { input: noInput },
  setDicomListener: {
    input: z
      .object({
        enabled: z.boolean(),
        port: tcpPort,
        aeTitle,
        allowedCallingAeTitles: z.array(aeTitle).max(100),
      })
      .strict(),
  },
});

export type ApiMethodName = keyof typeof API_METHODS;

/** What every transport exposes. Inputs are validated by {@link API_METHODS} before they get here. */
export interface MammoApi {
  importFiles(request: ImportRequest): Promise<ImportResult>;
  listStudies(input: Record<string, never>): Promise<StudySummary[]>;
  getStudy(input: { studyId: number }): Promise<StudyDetail>;
  listModels(input: Record<string, never>): Promise<ModelList>;
  analyzeStudy(input: {
    studyId: number;
    modelId?: string | undefined;
    force?: boolean | undefined;
  }): Promise<StudyAnalysis>;
  analyzeImage(input: {
    imageId: number;
    modelId?: string | undefined;
    force?: boolean | undefined;
  }): Promise<Prediction>;
  promoteModel(input: { modelId: string }): Promise<ModelVersion>;
  rollbackModel(input: Record<string, never>): Promise<ModelVersion>;
  /**
   * Deletes a candidate trained in this workspace (never the current, a shipped or a once-current
   * one); the samples it had learned count as not learned again.
   */
  discardModel(input: { modelId: string }): Promise<{ modelId: string; samplesToRelearn: number }>;
  startFineTune(input: {
    steps?: number | undefined;
    size?: number | undefined;
    autoPromote?: boolean | undefined;
  }): Promise<FineTuneJob>;
  /** What a fine-tune started now would learn from and be judged on, or why it cannot start. */
  planFineTune(input: Record<string, never>): Promise<FineTunePlan>;
  listJobs(input: Record<string, never>): Promise<FineTuneJob[]>;
  cancelJob(input: { jobId: number }): Promise<FineTuneJob[]>;
  saveDraft(input: Omit<AnnotationDraft, 'updatedAt'>): Promise<AnnotationDraft>;
  getDraft(input: { imageId: number; reader: string }): Promise<AnnotationDraft | null>;
  discardDraft(input: { imageId: number; reader: string }): Promise<null>;
  saveAnnotation(input: z.infer<typeof API_METHODS.saveAnnotation.input>): Promise<Annotation>;
  listAnnotations(input: { imageId: number }): Promise<Annotation[]>;
  getAnnotationMask(input: { annotationId: number }): Promise<{ maskPng: string }>;
  /** A ground-truth finding's outline (`outlinePath`): a PNG the image's size, > 0 inside. */
  getGroundTruthOutline(input: { findingId: number }): Promise<{ maskPng: string }>;
  restoreAnnotation(input: { annotationId: number; author: string }): Promise<Annotation>;
  nextCase(input: {
    strategy: NextCase['strategy'];
    excludeStudyId?: number | undefined;
  }): Promise<NextCase | null>;
  listTrainingSamples(input: { unlearnedOnly?: boolean | undefined }): Promise<TrainingSample[]>;
  /** Report versions of a study, newest first. */
  listReports(input: { studyId: number }): Promise<Report[]>;
  /** The open draft, or a new one pre-filled from the accepted and added findings. */
  startReport(input: { studyId: number; reader: string }): Promise<Report>;
  /** Edits a draft; a final report is read-only. */
  updateReport(input: { reportId: number } & ReportEdit): Promise<Report>;
  finalizeReport(input: { reportId: number }): Promise<Report>;
  /** A new draft version amending a final report. */
  amendReport(input: { reportId: number; reader: string; reason: string }): Promise<Report>;
  /** Writes one export of a study atomically; errors name the file. Without `outPath`, into the workspace. */
  exportStudy(input: z.infer<typeof API_METHODS.exportStudy.input>): Promise<ExportResult>;
  /** PACS nodes, without their secrets. */
  listPacsNodes(input: Record<string, never>): Promise<PacsNode[]>;
  /** Adds a node or changes the one with that name; an omitted secret keeps the stored one. */
  savePacsNode(input: PacsNodeInput): Promise<PacsNode>;
  removePacsNode(input: { name: string }): Promise<null>;
  /** QIDO-RS (and C-ECHO when the node has a DIMSE address). */
  testPacsNode(input: { name: string }): Promise<PacsConnectionTest>;
  /** QIDO-RS study search. */
  queryPacs(input: PacsQuery): Promise<PacsStudy[]>;
  /** WADO-RS retrieve through the import path; instances already present are not fetched. */
  retrievePacsStudy(input: { node: string; studyInstanceUid: string }): Promise<PacsRetrieveResult>;
  cancelPacsRetrieve(input: { studyInstanceUid: string }): Promise<null>;
  /** STOW-RS of the study's SEG, CAD SR or report (Encapsulated PDF); recorded in its history. */
  sendToPacs(input: { studyId: number; node: string; kind: PacsPush['kind'] }): Promise<PacsPush>;
  retryPacsPush(input: { pushId: number }): Promise<PacsPush>;
  /** The study's pushes, newest first. */
  listPacsPushes(input: { studyId: number }): Promise<PacsPush[]>;
  getDicomListener(input: Record<string, never>): Promise<DicomListenerStatus>;
  /** Saves the listener's settings and starts or stops it accordingly. */
  setDicomListener(input: DicomListenerSettings): Promise<DicomListenerStatus>;
}

/** Events pushed from the back end, prefixed so they can't collide with anything else on a channel. */
export const API_EVENTS = Object.freeze({
  importProgress: 'mammo:import.progress',
  trainingSetProgress: 'mammo:training-set.progress',
  analysisProgress: 'mammo:analysis.progress',
  fineTuneProgress: 'mammo:finetune.progress',
  fineTuneFinished: 'mammo:finetune.finished',
  pacsRetrieveProgress: 'mammo:pacs.retrieve.progress',
  dicomReceived: 'mammo:listener.received',
} as const);

export type ApiEventName = (typeof API_EVENTS)[keyof typeof API_EVENTS];

/** Payload of each event. */
export interface ApiEventPayloads {
  'mammo:import.progress': ImportProgress;
  /** A labelled import turning its ground truth into training samples, image by image. */
  'mammo:training-set.progress': { done: number; total: number };
  'mammo:analysis.progress': AnalysisProgress;
  'mammo:finetune.progress': { jobId: number; progress: TrainingProgressInfo };
  'mammo:finetune.finished': FineTuneJob;
  'mammo:pacs.retrieve.progress': PacsRetrieveProgress;
  'mammo:listener.received': DicomListenerReceived;
}

export type Unsubscribe = () => void;

/** Subscribing to back-end events; `subscribe` returns the function that undoes it. */
export interface ApiEvents {
  subscribe<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayloads[E]) => void): Unsubscribe;
}
