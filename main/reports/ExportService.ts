/**
 * Every export of a study: PDF and JSON report, DICOM SEG (binary, final masks), fractional SEG
 * (probability maps), Mammography CAD SR, and the de-identified training samples.
 *
 * Writes are atomic: a file export goes to a temporary file in the target folder and is renamed
 * over the target; a folder export is written into a temporary sibling folder that is renamed to
 * the target (which must not exist yet, or be empty). A failure leaves nothing behind and its
 * message starts with the path it concerns. A folder export with nothing to write makes no
 * folder. The stale temp files and folders of an export a crash cut short are swept from the
 * target's folder by the next export there.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Image } from '../api/domain.js';
import type { ExportKind, ExportResult, Report } from '../api/reports.js';
import { groundTruthMask } from '../annotations/groundTruthMask.js';
import { checkMaskPng } from '../imaging/maskPng.js';
import { ownedTempPath, writeFileAtomic } from '../common/atomicWrite.js';
import { TrainingSampleRepository } from '../db/TrainingSampleRepository.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import type { CorrectionSampleBuilder } from '../training/CorrectionSampleBuilder.js';
import { sweepStaleTempFiles } from '../workspace/sweepStaleTempFiles.js';
import type { Workspace } from '../workspace/Workspace.js';
import { buildCadSr } from './dicom/cadSr.js';
import { derivedUid, SourceReader, writePart10 } from './dicom/dicomCommon.js';
import { buildSegmentation, type SegmentationInput } from './dicom/segmentation.js';
import { renderKeyImage } from './keyImage.js';
import { renderReportPdf, type PdfKeyImage } from './pdfReport.js';
import { buildReportContent, type ReportContent } from './reportContent.js';
import type { ReportService } from './ReportService.js';
import type { StudyMaterialSet } from './StudyMaterial.js';
import { writeTrainingExport } from './trainingExport.js';

/** An export that failed; the message names the file or folder. */
export class ExportError extends Error {
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${reason}`, options);
    this.name = 'ExportError';
  }
}

const SEG_SERIES_NUMBER = 900;
const FRACTIONAL_SEG_SERIES_NUMBER = 901;
const SR_SERIES_NUMBER = 902;
const GROUND_TRUTH_SEG_SERIES_NUMBER = 903;

/** Readable names of the ground truth's sources (its `source` column). */
const GROUND_TRUTH_SOURCES: Readonly<Record<string, string>> = {
  mias: 'mini-MIAS',
  'cbis-ddsm': 'CBIS-DDSM',
};

/** Name stem and extension of each export under `<workspace>/exports/study-<id>/`; '' is a folder. */
const DEFAULT_NAMES: Record<ExportKind, { stem: string; extension: string }> = {
  pdf: { stem: 'report', extension: '.pdf' },
  json: { stem: 'report', extension: '.json' },
  sr: { stem: 'cad-sr', extension: '.dcm' },
  seg: { stem: 'seg', extension: '' },
  'fractional-seg': { stem: 'fractional-seg', extension: '' },
  training: { stem: 'training-deidentified', extension: '' },
};

export class ExportService {
  private readonly sources: SourceReader;

  constructor(
    private readonly workspace: Workspace,
    private readonly registry: ModelRegistry,
    private readonly reports: ReportService,
    /** Builds the samples of saved corrections that have none yet, before a training export. */
    private readonly corrections: Pick<CorrectionSampleBuilder, 'catchUp'>,
  ) {
    this.sources = new SourceReader(workspace);
  }

  /**
   * Runs one export.
   *
   * @example
   * await exports.exportStudy(3, 'pdf', '/home/me/report-3.pdf');
   * await exports.exportStudy(3, 'seg', '/home/me/seg-3'); // a folder, one SEG per image
   */
  async exportStudy(studyId: number, kind: ExportKind, outPath: string): Promise<ExportResult> {
    const target = resolve(outPath);
    try {
      const material = this.reports.material.load(studyId);
      switch (kind) {
        case 'json': {
          const { content, notes } = await this.content(material);
          return this.writeFile(kind, target, `${JSON.stringify(content, null, 2)}\n`, notes);
        }
        case 'pdf': {
          const { content, notes } = await this.content(material);
          return this.writeFile(
            kind,
            target,
            await renderReportPdf(content, await this.keyImages(material, content)),
            notes,
          );
        }
        case 'sr': {
          const notes = material.images
            .filter((m) => !m.prediction)
            .map((m) => `image ${m.image.id} has no AI prediction and is not in the SR`);
          return this.writeFile(kind, target, this.cadSr(material), notes);
        }
        case 'seg':
        case 'fractional-seg':
          return await this.writeFolder(kind, target, (folder) => this.segmentations(material, kind, folder));
        case 'training':
          return await this.writeFolder(kind, target, (folder) => this.training(material, folder));
      }
    } catch (error) {
      if (error instanceof ExportError) throw error;
      throw new ExportError(target, error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  /**
   * An export from the UI, which names no path: to {@link defaultTarget}. The study's exports
   * folder is removed again when the export fails or writes nothing, and it is empty.
   */
  async exportStudyToWorkspace(studyId: number, kind: ExportKind): Promise<ExportResult> {
    const target = this.defaultTarget(studyId, kind);
    let result: ExportResult | undefined;
    try {
      result = await this.exportStudy(studyId, kind, target);
      return result;
    } finally {
      if (!result?.files.length) removeIfEmpty(dirname(target));
    }
  }

  /**
   * A new path for an export inside the workspace (the UI's exports, which never name a path):
   * `<workspace>/exports/study-<id>/<stem>-<UTC time>[-n][.ext]`, its folder created. It never
   * names an existing file, so an export from the UI never replaces an earlier one.
   *
   * @example
   * exports.defaultTarget(3, 'pdf'); // '/ws/exports/study-3/report-20261125T190312Z.pdf'
   */
  defaultTarget(studyId: number, kind: ExportKind, now: Date = new Date()): string {
    const folder = join(this.workspace.root, 'exports', `study-${studyId}`);
    mkdirSync(folder, { recursive: true });
    const { stem, extension } = DEFAULT_NAMES[kind];
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    for (let n = 1; ; n++) {
      const target = join(folder, `${stem}-${stamp}${n > 1 ? `-${n}` : ''}${extension}`);
      if (!existsSync(target)) return target;
    }
  }

  /** The content of the newest report version, or of a pre-filled preview when none is saved. */
  async content(material: StudyMaterialSet): Promise<{ content: ReportContent; notes: string[] }> {
    const report: Report | undefined = this.reports.list(material.detail.study.id)[0];
    const notes: string[] = [];
    const base = report ?? {
      biRads: null,
      density: null,
      findings: await this.reports.prefillFindings(material.detail.study.id),
      impression: '',
      reader: '',
    };
    if (!report)
      notes.push('no report was saved for this study: the export holds the pre-filled findings only');
    else if (report.status === 'draft') notes.push(`report version ${report.version} is a draft`);
    return { content: buildReportContent(material.detail, material.images, base, this.registry), notes };
  }

  private async keyImages(material: StudyMaterialSet, content: ReportContent): Promise<PdfKeyImage[]> {
    const withFindings = new Set(content.findings.map((f) => f.imageId));
    const chosen = material.images.filter((m) => m.annotation || withFindings.has(m.image.id));
    const out: PdfKeyImage[] = [];
    for (const item of (chosen.length ? chosen : material.images).slice(0, 8)) {
      const { image, annotation, prediction } = item;
      const findings = content.findings.filter((f) => f.imageId === image.id);
      const boxes = findings.flatMap((f) =>
        f.source === 'ai'
          ? (prediction?.findings.filter((p) => p.index === f.findingIndex).map((p) => p.bounds) ?? [])
          : [],
      );
      const points = findings
        .filter((f) => f.source === 'reader')
        .map((f) => ({ row: f.centroidRow, column: f.centroidColumn }));
      const mask = annotation ? this.reports.material.mask(annotation, image) : null;
      const rendered = renderKeyImage(await this.reports.material.display(image), image.rows, image.columns, {
        mask,
        boxes,
        points,
      });
      const caption = `${image.laterality ?? '?'} ${image.view ?? ''} (image ${image.id})${annotation ? `, mask v${annotation.version} by ${annotation.author}` : ''}`;
      out.push({ caption, ...rendered });
    }
    return out;
  }

  private async segmentations(
    material: StudyMaterialSet,
    kind: 'seg' | 'fractional-seg',
    folder: string,
  ): Promise<{ files: string[]; notes: string[] }> {
    const binary = kind === 'seg';
    const { detail } = material;
    const patientStudy = this.sources.patientStudy(detail);
    const files: string[] = [];
    const notes: string[] = [];
    for (const item of material.images) {
      const { image, annotation, prediction } = item;
      const label = `${image.laterality ?? 'X'}${image.view ?? ''}`;
      if (!binary && !prediction) {
        notes.push(`image ${image.id} (${label}) has no AI prediction`);
        continue;
      }
      let segmentation: Omit<SegmentationInput, 'source' | 'patientStudy'>;
      let file: string;
      if (!binary) {
        segmentation = {
          kind: 'fractional',
          pixels: this.reports.material.probabilityMap(prediction!, image),
          label: 'Lesion probability (AI)',
          description: `AI probability map of image ${label}, model ${prediction!.modelId}. The AI output is decision support from research software.`,
          creator: '',
          algorithm: { name: prediction!.modelId, version: prediction!.modelId },
          // Stable UIDs: the same prediction always exports to the same instance.
          sopInstanceUid: derivedUid(
            `fseg:${image.sopInstanceUid}:${prediction!.modelId}:${prediction!.createdAt}`,
          ),
          seriesInstanceUid: derivedUid(`fseg-series:${detail.study.studyUid}`),
          seriesNumber: FRACTIONAL_SEG_SERIES_NUMBER,
          createdAt: new Date(prediction!.createdAt),
        };
        file = join(folder, `FSEG_${label}_image${image.id}.dcm`);
      } else if (annotation) {
        segmentation = {
          kind: 'binary',
          pixels: this.reports.material.mask(annotation, image),
          label: 'Lesion (final mask)',
          description: `Final mask version ${annotation.version} of image ${label}`,
          creator: annotation.author,
          algorithm: annotation.modelId ? { name: annotation.modelId, version: annotation.modelId } : null,
          sopInstanceUid: derivedUid(
            `seg:${image.sopInstanceUid}:annotation:${annotation.id}:v${annotation.version}`,
          ),
          seriesInstanceUid: derivedUid(`seg-series:${detail.study.studyUid}`),
          seriesNumber: SEG_SERIES_NUMBER,
          createdAt: new Date(annotation.createdAt),
        };
        file = join(folder, `SEG_${label}_image${image.id}_v${annotation.version}.dcm`);
      } else {
        const truth = this.groundTruthMask(detail, image);
        if (truth.mask === null) {
          notes.push(`image ${image.id} (${label}) has no saved mask${truth.why ? `; ${truth.why}` : ''}`);
          continue;
        }
        segmentation = {
          kind: 'binary',
          pixels: truth.mask,
          label: 'Lesion (imported ground truth)',
          description: `Imported ground truth (${truth.source}) of image ${label}; no correction saved`,
          creator: truth.source,
          algorithm: null,
          sopInstanceUid: derivedUid(`seg:${image.sopInstanceUid}:ground-truth`),
          // Their own series, so that a PACS tells the data set's labels from a reader's masks.
          seriesInstanceUid: derivedUid(`seg-ground-truth-series:${detail.study.studyUid}`),
          seriesNumber: GROUND_TRUTH_SEG_SERIES_NUMBER,
          seriesDescription: 'Imported ground truth (no correction saved)',
          contentLabel: 'GROUND_TRUTH',
          createdAt: new Date(detail.study.importedAt),
        };
        file = join(folder, `SEG_${label}_image${image.id}_ground-truth.dcm`);
        notes.push(
          `image ${image.id} (${label}) has no saved correction: wrote its imported ground truth (${truth.source})`,
        );
      }
      const dataset = buildSegmentation({
        source: this.sources.source(detail, image),
        patientStudy,
        ...segmentation,
      });
      writeFileAtomic(file, writePart10(dataset));
      files.push(file);
    }
    if (files.length === 0)
      notes.push(
        binary
          ? 'no image of the study has a saved mask or ground-truth lesions'
          : 'no image of the study has an AI prediction',
      );
    return { files, notes };
  }

  /**
   * The ground-truth lesions of an image as a mask, drawn as training draws them (an outline, a
   * box's inscribed ellipse, or a circle: see groundTruthMask), or why there is none: no lesion in
   * the ground truth, or a lesion without a centre that cannot be drawn.
   */
  private groundTruthMask(
    detail: StudyMaterialSet['detail'],
    image: Image,
  ): { mask: Uint8Array; source: string; why?: undefined } | { mask: null; why: string | null } {
    const findings = detail.groundTruth.filter((g) => g.imageId === image.id);
    if (findings.length === 0) return { mask: null, why: null };
    const mask = groundTruthMask(
      image.rows,
      image.columns,
      findings,
      (path) => checkMaskPng(readFileSync(this.workspace.resolvePath(path)), image.rows, image.columns).mask,
    );
    if (!mask)
      return { mask: null, why: 'its ground truth gives a lesion without a centre, which cannot be drawn' };
    return {
      mask,
      source: GROUND_TRUTH_SOURCES[findings[0]!.source] ?? findings[0]!.source,
    };
  }

  /** The CAD's output: every AI finding of the analysed images, with the reader's decisions. */
  private cadSr(material: StudyMaterialSet): Uint8Array {
    const { detail } = material;
    const analysed = material.images.filter((m) => m.prediction);
    if (analysed.length === 0)
      throw new Error('no image of the study has an AI prediction; analyse the study first');
    const findings = analysed.flatMap(({ image, prediction, annotation }) => {
      const operatingPoint =
        this.registry.get(prediction!.modelId)?.card.thresholds.finding ?? prediction!.findingThreshold;
      // Decisions name findings by index in the prediction the reader corrected: the same model's.
      const decisions = annotation?.modelId === prediction!.modelId ? annotation.findings.decisions : [];
      return prediction!.findings.map((f) => ({
        imageId: image.id,
        type: null,
        score: f.maxProbability,
        aboveOperatingPoint: f.maxProbability >= operatingPoint,
        readerDecision: decisions.find((d) => d.findingIndex === f.index)?.decision ?? null,
        centroidRow: f.centroidRow,
        centroidColumn: f.centroidColumn,
        bounds: f.bounds,
      }));
    });
    const models = [
      ...new Set(
        analysed.map(
          (m) => `${m.prediction!.modelId}|${m.prediction!.backend}|${m.prediction!.findingThreshold}`,
        ),
      ),
    ];
    const first = analysed[0]!.prediction!;
    const identity = `sr:${detail.study.studyUid}:${analysed.map((m) => `${m.image.id}:${m.prediction!.modelId}:${m.prediction!.createdAt}`).join(',')}`;
    const dataset = buildCadSr({
      patientStudy: this.sources.patientStudy(detail),
      studyInstanceUid: detail.study.studyUid,
      images: analysed.map((m) => this.sources.source(detail, m.image)),
      findings,
      detections: analysed.length === material.images.length ? 'succeeded' : 'partial',
      algorithm: {
        name: first.modelId,
        version: this.registry.get(first.modelId)?.card.createdAt ?? first.modelId,
        parameters: models
          .map((m) => m.split('|'))
          .map(([id, backend, threshold]) => `model=${id} backend=${backend} findingThreshold=${threshold}`)
          .join('; '),
      },
      sopInstanceUid: derivedUid(identity),
      seriesInstanceUid: derivedUid(`sr-series:${detail.study.studyUid}`),
      seriesNumber: SR_SERIES_NUMBER,
      createdAt: new Date(),
    });
    return writePart10(dataset);
  }

  private async training(
    material: StudyMaterialSet,
    folder: string,
  ): Promise<{ files: string[]; notes: string[] }> {
    const imageIds = new Set(material.images.map((m) => m.image.id));
    const unbuilt = await this.corrections.catchUp(imageIds);
    const samples = new TrainingSampleRepository(this.workspace.db)
      .list()
      .filter((s) => imageIds.has(s.imageId));
    const images = material.images.map((m) => ({
      image: m.image,
      patientId: material.detail.study.patient.patientId,
      burnedInAnnotation: this.sources.burnedInAnnotation(m.image),
    }));
    const { files, notes } = writeTrainingExport(this.workspace, folder, images, samples);
    const unbuiltNotes = unbuilt.map(
      (failure) =>
        `image ${failure.imageId}: its newest saved correction has no training sample yet and is not exported (${failure.reason})`,
    );
    return { files, notes: [...unbuiltNotes, ...notes] };
  }

  private writeFile(
    kind: ExportKind,
    target: string,
    data: Uint8Array | string,
    notes: string[],
  ): ExportResult {
    if (existsSync(target) && statSync(target).isDirectory())
      throw new ExportError(target, 'is a folder; give a file name');
    if (!existsSync(dirname(target)))
      throw new ExportError(target, `folder ${dirname(target)} does not exist`);
    try {
      sweepStaleTempFiles(dirname(target), Date.now(), { recursive: false });
      writeFileAtomic(target, data);
    } catch (error) {
      throw new ExportError(target, (error as Error).message, { cause: error });
    }
    return { kind, files: [target], notes };
  }

  /** Builds the folder next to the target, then renames it into place. */
  private async writeFolder(
    kind: ExportKind,
    target: string,
    fill: (
      folder: string,
    ) => Promise<{ files: string[]; notes: string[] }> | { files: string[]; notes: string[] },
  ): Promise<ExportResult> {
    if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
      throw new ExportError(target, 'already exists; give a new or empty folder');
    }
    if (!existsSync(dirname(target)))
      throw new ExportError(target, `folder ${dirname(target)} does not exist`);
    sweepStaleTempFiles(dirname(target), Date.now(), { recursive: false });
    // Named with this process's id, so a later start removes it at once if this process dies.
    const temp = ownedTempPath(target);
    mkdirSync(temp);
    try {
      const { files, notes } = await fill(temp);
      if (files.length === 0) {
        rmSync(temp, { recursive: true, force: true });
        return {
          kind,
          files: [],
          notes: [...notes, `nothing was written, so no folder was made at ${target}`],
        };
      }
      if (existsSync(target)) rmSync(target, { recursive: true });
      renameSync(temp, target);
      return { kind, files: files.map((f) => join(target, f.slice(temp.length + 1))), notes };
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw error instanceof ExportError
        ? error
        : new ExportError(target, (error as Error).message, { cause: error });
    }
  }
}

/** Removes a folder only when nothing is in it (an export's own folder, once that export failed). */
function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch (error) {
    if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
