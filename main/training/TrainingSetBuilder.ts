import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { groundTruthMask } from '../annotations/groundTruthMask.js';
import type { Image } from '../api/domain.js';
import type { TrainingSample, TrainingSetReport } from '../api/training.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { sha256Hex } from '../common/sha256.js';
import { AuditLog } from '../db/AuditLog.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { TrainingSampleRepository, type NewTrainingSample } from '../db/TrainingSampleRepository.js';
import type { DecodePool } from '../imaging/DecodePool.js';
import { checkMaskPng } from '../imaging/maskPng.js';
import { encodeScanSampleFile } from '../imaging/scanSample.js';
import { effectiveSpacing } from '../inference/predictProbabilityMap.js';
import type { Workspace } from '../workspace/Workspace.js';
import { patientSplit, validationFractionOf } from './patientSplit.js';

/** Samples are stored at this pixel spacing (mini-MIAS's own, so its images are not resampled). */
export const SAMPLE_SPACING_MM = 0.2;

export type BuildReport = TrainingSetReport;

/** Study sources whose ground truth becomes training samples as soon as it is imported. */
const LABELLED_SOURCES = ['mias', 'cbis-ddsm'] as const;
type LabelledSource = (typeof LABELLED_SOURCES)[number];
const DATA_SET_AUTHORS: Record<LabelledSource, string> = { mias: 'mini-MIAS', 'cbis-ddsm': 'CBIS-DDSM' };

const RESERVED_TEST_SPLIT =
  "from the data set's official test split, which is reserved for independent evaluation: never trained on";

function uncentredReason(classes: readonly string[]): string {
  return `abnormal (${[...new Set(classes)].join(', ')}) but its record gives no lesion centre, so no mask can be drawn`;
}

/** Decodes a scan and encodes its sample PNG off the calling thread; {@link DecodePool} is one. */
export type SampleEncoder = Pick<DecodePool, 'encodeSample'>;

/** Where a sample's label came from. */
export interface LabelOrigin {
  labelSource: TrainingSample['labelSource'];
  annotationId: number | null;
  annotationVersion: number | null;
  author: string;
}

/**
 * Builds the RGB training set (scan in R, mask in G, black B) in the workspace: whole scans plus
 * crops centred on each abnormality, each with its TrainingSample row and its fixed patient split.
 */
export class TrainingSetBuilder {
  private readonly studies: StudyRepository;
  private readonly samples: TrainingSampleRepository;
  private readonly audit: AuditLog;

  constructor(
    private readonly workspace: Workspace,
    /** Decodes scans and encodes samples off this thread when given (a server's); else here. */
    private readonly encoder?: SampleEncoder,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.samples = new TrainingSampleRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
  }

  /**
   * Samples from every data-set image whose ground truth is complete (normal images included).
   * An abnormal image with a finding that has no centre (mini-MIAS lists some) is left out and the
   * reason recorded: its mask would mark every pixel normal.
   */
  async buildFromGroundTruth(onProgress?: (done: number, total: number) => void): Promise<BuildReport> {
    const studies = this.workspace.db
      .prepare(
        `SELECT id, source FROM studies WHERE source IN (${LABELLED_SOURCES.map((s) => `'${s}'`).join(', ')}) ORDER BY id`,
      )
      .all() as { id: number; source: LabelledSource }[];
    const report: BuildReport = { added: 0, skipped: 0, excluded: [], errors: [] };
    const jobs = studies.flatMap(({ id, source }) => {
      const detail = this.studies.getStudyDetail(id)!;
      return detail.images.map((image) => ({
        image,
        source,
        patientId: detail.study.patient.patientId,
        findings: detail.groundTruth.filter((g) => g.imageId === image.id),
      }));
    });
    for (const [index, job] of jobs.entries()) {
      const origin: LabelOrigin = {
        labelSource: 'ground-truth',
        annotationId: null,
        annotationVersion: null,
        author: job.findings[0]?.details?.author ?? DATA_SET_AUTHORS[job.source],
      };
      try {
        const uncentred = job.findings
          .filter((g) => !g.circle && !g.box && !g.outlinePath)
          .map((g) => g.abnormalityClass);
        if (job.findings.some((g) => g.details?.officialSplit === 'test')) {
          this.exclude(job.image, job.patientId, RESERVED_TEST_SPLIT, report);
        } else if (uncentred.length > 0) {
          this.exclude(job.image, job.patientId, uncentredReason(uncentred), report);
        } else if (this.samples.hasSample(job.image.id, 'ground-truth', null, 'full')) {
          report.skipped++;
        } else {
          const mask = groundTruthMask(
            job.image.rows,
            job.image.columns,
            job.findings,
            (path) =>
              checkMaskPng(readFileSync(this.workspace.resolvePath(path)), job.image.rows, job.image.columns)
                .mask,
          )!;
          const rows = await this.prepareFromMask(job.image, job.patientId, mask, origin);
          this.workspace.db.transaction(() => this.insertSamples(job.image, rows, origin))();
          report.added += rows.length;
        }
      } catch (error) {
        report.errors.push({ file: job.image.path, reason: (error as Error).message });
      }
      onProgress?.(index + 1, jobs.length);
    }
    return report;
  }

  /** Reports an image left out of pixel training, and audits it the first time. */
  private exclude(image: Image, patientId: string, reason: string, report: BuildReport): void {
    report.excluded.push({
      imageId: image.id,
      image: `${patientId} ${image.laterality ?? '?'} ${image.view ?? ''}`.trim(),
      reason,
    });
    const subject = `image:${image.id}`;
    if (!this.audit.has('training.image-excluded', subject)) {
      this.audit.record('training.image-excluded', subject, { reason });
    }
  }

  /**
   * Adds samples for an image from a full-resolution mask (rows x columns, > 0 inside), e.g. a
   * clinician's saved correction. Returns how many samples were written.
   */
  async addFromMask(image: Image, patientId: string, mask: Uint8Array, origin: LabelOrigin): Promise<number> {
    const rows = await this.prepareFromMask(image, patientId, mask, origin);
    this.workspace.db.transaction(() => this.insertSamples(image, rows, origin))();
    return rows.length;
  }

  /** Records prepared samples and their audit entry; call inside a transaction. */
  insertSamples(image: Image, rows: readonly NewTrainingSample[], origin: LabelOrigin): void {
    for (const row of rows) this.samples.insert(row);
    this.audit.record('training.samples-added', `image:${image.id}`, {
      count: rows.length,
      labelSource: origin.labelSource,
      author: origin.author,
    });
  }

  /**
   * Writes the whole-scan sample PNG for a mask (atomically) and returns its row without recording
   * it, so a caller can record it in its own transaction (with {@link insertSamples}).
   */
  async prepareFromMask(
    image: Image,
    patientId: string,
    mask: Uint8Array,
    origin: LabelOrigin,
    /** Goes into every file name, so concurrent attempts for one image never share a file. */
    attempt = '',
    signal?: AbortSignal,
  ): Promise<NewTrainingSample[]> {
    const scale = effectiveSpacing(image.pixelSpacingMm, image.rows).mm / SAMPLE_SPACING_MM;
    const rows = Math.max(1, Math.round(image.rows * scale));
    const columns = Math.max(1, Math.round(image.columns * scale));
    const scanPath = this.workspace.resolvePath(image.path);
    // Whole scans only: the sampler takes lesion-centred crops from them, so a lesion is always
    // seen in its real surroundings (separate ROI crops were smaller than the sampler's crop and
    // got black frames that inference never sees).
    const kind: TrainingSample['kind'] = 'full';
    const { png, positivePixels } = this.encoder
      ? await this.encoder.encodeSample(scanPath, mask, rows, columns, signal)
      : await encodeScanSampleFile(scanPath, mask, rows, columns);
    signal?.throwIfAborted();
    const folder = join(this.workspace.root, 'training');
    mkdirSync(folder, { recursive: true });
    const name = `${image.sha256.slice(0, 16)}-${origin.labelSource}-${origin.annotationId ?? 0}v${origin.annotationVersion ?? 0}-${kind}0${attempt ? `-${attempt}` : ''}.png`;
    writeFileAtomic(join(folder, name), png);
    return [
      {
        imageId: image.id,
        patientId,
        split: patientSplit(patientId, validationFractionOf(patientId)),
        kind,
        ...origin,
        path: `training/${name}`,
        sha256: sha256Hex(png),
        rows,
        columns,
        pixelSpacingMm: SAMPLE_SPACING_MM,
        positivePixels,
      },
    ];
  }
}
