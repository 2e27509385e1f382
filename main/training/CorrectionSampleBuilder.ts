import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ANNOTATION_EVENTS, type AnnotationEventPayloads } from '../annotations/annotationEvents.js';
import type { Unsubscribe } from '../api/contract.js';
import type { EventBus } from '../common/EventBus.js';
import { AnnotationRepository } from '../db/AnnotationRepository.js';
import { AuditLog } from '../db/AuditLog.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { TrainingSampleRepository } from '../db/TrainingSampleRepository.js';
import type { DecodePool } from '../imaging/DecodePool.js';
import { isOwnerless } from '../workspace/sweepStaleTempFiles.js';
import type { Workspace } from '../workspace/Workspace.js';
import { type LabelOrigin, type SampleEncoder, TrainingSetBuilder } from './TrainingSetBuilder.js';

/**
 * A correction's sample file, `training/<sha>-annotation-<id>v<version>-full0-[<pid>-]<token>.png`
 * (group 1: the pid of the process that built it).
 */
const CORRECTION_SAMPLE_NAME = /^[0-9a-f]{16}-annotation-.*?-(?:(\d+)-)?[0-9a-f]{8}\.png$/;

/** Reads saved masks and encodes samples off the calling thread; {@link DecodePool} is one. */
export type CorrectionSampleWorker = Pick<DecodePool, 'checkMask'> & SampleEncoder;

/** A saved correction still without its training sample, and why its build failed. */
export interface SampleBuildFailure {
  annotationId: number;
  imageId: number;
  reason: string;
}

/**
 * Turns a reader's saved correction into its RGB training sample (scan in R, mask in G). It
 * follows the annotation layer's `saved` event, so the save answers before any sample is encoded;
 * the encoding runs in the worker. An event can be lost (the process dies between the save's
 * commit and the sample's), so whoever reads samples calls {@link catchUp} first: every image's
 * newest correction without a sample gets one.
 *
 * @example
 * const samples = new CorrectionSampleBuilder(workspace, decodePool);
 * samples.follow(annotationService);
 * const failures = await samples.catchUp(); // before choosing a fine-tune's labels
 */
export class CorrectionSampleBuilder {
  private readonly builder: TrainingSetBuilder;
  private readonly annotations: AnnotationRepository;
  private readonly studies: StudyRepository;
  private readonly samples: TrainingSampleRepository;
  private readonly audit: AuditLog;
  /** Builds under way, by annotation id: an event's build and a catch-up never build one twice here. */
  private readonly building = new Map<number, Promise<void>>();

  constructor(
    private readonly workspace: Workspace,
    private readonly worker: CorrectionSampleWorker,
  ) {
    this.builder = new TrainingSetBuilder(workspace, worker);
    this.annotations = new AnnotationRepository(workspace.db);
    this.studies = new StudyRepository(workspace.db);
    this.samples = new TrainingSampleRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.removeOrphanedSampleFiles();
  }

  /** Builds each correction's sample as it is saved; returns the unsubscribe. */
  follow(annotations: { subscribe: EventBus<AnnotationEventPayloads>['subscribe'] }): Unsubscribe {
    return annotations.subscribe(ANNOTATION_EVENTS.saved, ({ annotationId, imageId }) => {
      // Never thrown into the save that published: the correction is saved, and a catch-up builds
      // its sample later. The audit log says why it is missing meanwhile.
      this.build(annotationId).catch((error: unknown) =>
        this.audit.record('training.sample-failed', `image:${imageId}`, {
          annotationId,
          reason: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  }

  /**
   * Waits for the builds under way, then builds the sample of every image's newest correction that
   * has none (of `imageIds` only, when given). A failed build does not stop the others: it is
   * returned with its reason, and the correction is tried again at the next catch-up.
   */
  async catchUp(imageIds?: Iterable<number>): Promise<SampleBuildFailure[]> {
    await this.settled();
    const only = imageIds ? new Set(imageIds) : null;
    const missing = (
      this.workspace.db
        .prepare(
          `SELECT a.id AS annotationId, a.image_pk AS imageId FROM annotations a
            WHERE a.version = (SELECT MAX(b.version) FROM annotations b WHERE b.image_pk = a.image_pk)
              AND NOT EXISTS (SELECT 1 FROM training_samples s
                               WHERE s.label_source = 'annotation' AND s.annotation_id = a.id)
            ORDER BY a.id`,
        )
        .all() as { annotationId: number; imageId: number }[]
    ).filter(({ imageId }) => !only || only.has(imageId));
    const failures: SampleBuildFailure[] = [];
    for (const { annotationId, imageId } of missing) {
      try {
        await this.build(annotationId);
      } catch (error) {
        failures.push({
          annotationId,
          imageId,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return failures;
  }

  /** Resolves when the builds under way have ended, failed ones included. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.building.values());
  }

  private build(annotationId: number): Promise<void> {
    const running = this.building.get(annotationId);
    if (running) return running;
    const build = this.buildNow(annotationId).finally(() => this.building.delete(annotationId));
    this.building.set(annotationId, build);
    return build;
  }

  private async buildNow(annotationId: number): Promise<void> {
    const annotation = this.annotations.get(annotationId);
    if (!annotation) throw new Error(`annotation ${annotationId} not found`);
    const image = this.studies.getImage(annotation.imageId)!;
    const patientId = this.studies.getStudyDetail(image.studyId)!.study.patient.patientId;
    const { mask } = await this.worker.checkMask(
      await readFile(this.workspace.resolvePath(annotation.maskPath)),
      image.rows,
      image.columns,
    );
    const origin: LabelOrigin = {
      labelSource: 'annotation',
      annotationId,
      annotationVersion: annotation.version,
      author: annotation.author,
    };
    // Another process may build the same correction's sample now: each build writes its own file
    // (its attempt token, starting with this process's id, is in the name) and only the first
    // transaction records one; the other removes its file. A build killed before its transaction
    // leaves a file the next start removes.
    const attempt = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const rows = await this.builder.prepareFromMask(image, patientId, mask, origin, attempt);
    const removeWritten = () => {
      for (const row of rows) rmSync(this.workspace.resolvePath(row.path), { force: true });
    };
    let recorded: boolean;
    try {
      recorded = this.workspace.db.transaction(() => {
        if (this.samples.hasSample(image.id, 'annotation', annotationId, 'full')) return false;
        this.builder.insertSamples(image, rows, origin);
        return true;
      })();
    } catch (error) {
      removeWritten();
      throw error;
    }
    if (!recorded) removeWritten();
  }

  /**
   * Removes the sample files of builds killed before their transaction: files no row references,
   * whose writing process (its id is in the name) is gone, whatever their age. A live process's
   * files stay: its build may be about to record them. Names without a process id go once older
   * than any build takes.
   */
  private removeOrphanedSampleFiles(): void {
    const referenced = new Set(
      this.workspace.db
        .prepare("SELECT rel_path AS path FROM training_samples WHERE label_source = 'annotation'")
        .all()
        .map((row) => (row as { path: string }).path),
    );
    const folder = join(this.workspace.root, 'training');
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      const owner = CORRECTION_SAMPLE_NAME.exec(name);
      const path = `training/${name}`;
      if (!owner || referenced.has(path)) continue;
      const absolute = this.workspace.resolvePath(path);
      if (isOwnerless(owner[1], absolute)) rmSync(absolute, { force: true });
    }
  }
}
