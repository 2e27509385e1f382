import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Annotation, AnnotationDraft, NextCase, SaveAnnotationRequest } from '../api/annotations.js';
import { AnnotationConflictError, NotFoundError } from '../api/errors.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { EventBus } from '../common/EventBus.js';
import { AnnotationRepository } from '../db/AnnotationRepository.js';
import { AuditLog } from '../db/AuditLog.js';
import { PredictionRepository } from '../db/PredictionRepository.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { pixelMetrics } from '../evaluation/pixelMetrics.js';
import { seededRandom } from '../evaluation/bootstrap.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import type { DecodePool } from '../imaging/DecodePool.js';
import type { CheckedMask } from '../imaging/maskPng.js';
import { isOwnerless } from '../workspace/sweepStaleTempFiles.js';
import type { Workspace } from '../workspace/Workspace.js';
import { ANNOTATION_EVENTS, type AnnotationEventPayloads } from './annotationEvents.js';

/** A saved mask's file: `annotations/<sha>-v<version>-[<pid>-]<token>.png` (group 1: the pid). */
const SAVED_MASK_NAME = /^[0-9a-f]{16}-v\d+-(?:(\d+)-)?[0-9a-f]{8}\.png$/;

/**
 * The pixel work of a save, off the calling thread: checking the client's mask PNG and comparing
 * it with the model's map. {@link DecodePool} is one.
 */
export type AnnotationPixelWorker = Pick<DecodePool, 'checkMask' | 'countMapOverlap'>;

/**
 * The clinician's corrections. Saving writes the mask first (atomically), then records the
 * annotation version and its audit entry in one transaction: a crash leaves either both or none
 * (a stray mask file is never referenced). Then it publishes {@link ANNOTATION_EVENTS.saved}: the
 * training layer turns the version into a training sample after the save has answered.
 */
export class AnnotationService {
  private readonly annotations: AnnotationRepository;
  private readonly studies: StudyRepository;
  private readonly predictions: PredictionRepository;
  private readonly audit: AuditLog;
  private readonly events = new EventBus<AnnotationEventPayloads>();

  constructor(
    private readonly workspace: Workspace,
    private readonly registry: ModelRegistry,
    /** Checks masks and compares maps off the server's thread. */
    private readonly decoder: AnnotationPixelWorker,
  ) {
    this.annotations = new AnnotationRepository(workspace.db);
    this.studies = new StudyRepository(workspace.db);
    this.predictions = new PredictionRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.removeOrphanedMaskFiles();
  }

  /** Listens to {@link ANNOTATION_EVENTS}; returns the unsubscribe. */
  subscribe: EventBus<AnnotationEventPayloads>['subscribe'] = (event, listener) =>
    this.events.subscribe(event, listener);

  /**
   * Removes the mask files of saves that were killed before their transaction: files no row
   * references, whose writing process (its id is in the name) is gone, whatever their age. A live
   * process's files stay: its save may be about to record them. Names from before they carried a
   * process id go once older than any save takes.
   */
  private removeOrphanedMaskFiles(): void {
    const referenced = new Set(
      this.workspace.db
        .prepare('SELECT mask_path AS path FROM annotations')
        .all()
        .map((row) => (row as { path: string }).path),
    );
    const folder = join(this.workspace.root, 'annotations');
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      const owner = SAVED_MASK_NAME.exec(name);
      const path = `annotations/${name}`;
      if (!owner || referenced.has(path)) continue;
      const absolute = this.workspace.resolvePath(path);
      if (isOwnerless(owner[1], absolute)) rmSync(absolute, { force: true });
    }
  }

  async saveDraft(draft: Omit<AnnotationDraft, 'updatedAt'>): Promise<AnnotationDraft> {
    const image = this.requireImage(draft.imageId);
    await this.checkMask(draft.maskPng, image);
    const saved = { ...draft, updatedAt: new Date().toISOString() };
    this.annotations.saveDraft(saved);
    return saved;
  }

  /** The reader's own draft of the image; other readers' drafts are theirs. */
  getDraft(imageId: number, reader: string): AnnotationDraft | null {
    return this.annotations.getDraft(imageId, reader);
  }

  discardDraft(imageId: number, reader: string): void {
    this.annotations.deleteDraft(imageId, reader);
  }

  list(imageId: number): Annotation[] {
    return this.annotations.list(imageId);
  }

  /** The saved mask of a version as base64 PNG (for the editor and for restoring). */
  maskOf(annotationId: number): string {
    const annotation = this.annotations.get(annotationId);
    if (!annotation) throw new NotFoundError(`annotation ${annotationId} not found`);
    return readFileSync(this.workspace.resolvePath(annotation.maskPath)).toString('base64');
  }

  async save(request: SaveAnnotationRequest): Promise<Annotation> {
    const image = this.requireImage(request.imageId);
    const { mask, png, positivePixels } = await this.checkMask(request.maskPng, image);
    const version = this.annotations.nextVersion(image.id);
    this.refuseStaleBase(image.id, request.baseVersion, version - 1);
    const correctionDice = await this.correctionDice(image.id, mask, request.modelId, request.threshold);

    // Two saves of one image may both pick this version; only one transaction records it. The file
    // name carries this attempt's own token, so the losing save never overwrites the winner's mask,
    // and it removes its own file when it loses. The token starts with this process's id: a save
    // killed before its transaction leaves a file the next start removes.
    const attempt = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const maskPath = `annotations/${image.sha256.slice(0, 16)}-v${version}-${attempt}.png`;
    mkdirSync(join(this.workspace.root, 'annotations'), { recursive: true });
    writeFileAtomic(this.workspace.resolvePath(maskPath), png);

    const record = this.workspace.db.transaction(() => {
      // Another save of this image recorded this version first: this one lost.
      this.refuseStaleBase(image.id, version - 1, this.annotations.nextVersion(image.id) - 1);
      const annotation = this.annotations.insert(
        {
          imageId: image.id,
          parentId: request.parentId ?? this.annotations.list(image.id)[0]?.id ?? null,
          author: request.author,
          modelId: request.modelId ?? null,
          threshold: request.threshold ?? null,
          maskPath,
          positivePixels,
          correctionDice,
          findings: request.findings,
        },
        version,
      );
      // Only the author's own draft is done with; another reader's unsaved work stays theirs.
      this.annotations.deleteDraft(image.id, request.author);
      this.audit.record(
        'annotation.saved',
        `image:${image.id}`,
        { annotationId: annotation.id, version, correctionDice },
        request.author,
      );
      return annotation;
    });
    let annotation: Annotation;
    try {
      annotation = record();
    } catch (error) {
      rmSync(this.workspace.resolvePath(maskPath), { force: true });
      throw error;
    }
    this.events.publish(ANNOTATION_EVENTS.saved, {
      annotationId: annotation.id,
      imageId: image.id,
      version,
      author: request.author,
    });
    return annotation;
  }

  /**
   * Refuses a save whose reader edited `baseVersion` when the image's newest is `newest` by now:
   * it would silently replace another reader's version. Their draft is untouched.
   */
  private refuseStaleBase(imageId: number, baseVersion: number | undefined, newest: number): void {
    if (baseVersion === undefined || baseVersion === newest) return;
    const winner = this.annotations.list(imageId)[0];
    const by = winner ? ` by ${winner.author}` : '';
    throw new AnnotationConflictError(
      `image ${imageId} was saved as version ${newest}${by} while you edited ` +
        (baseVersion === 0 ? 'it' : `version ${baseVersion}`) +
        '; your strokes are kept in your draft: reapply them on top of the new version',
      newest,
    );
  }

  /** A client's mask PNG (base64) as the stored 0/255 mask and its PNG, checked in the decode worker. */
  private checkMask(maskPng: string, image: { rows: number; columns: number }): Promise<CheckedMask> {
    return this.decoder.checkMask(Buffer.from(maskPng, 'base64'), image.rows, image.columns);
  }

  /** Restores an earlier version by saving its mask again as the newest version. */
  async restore(annotationId: number, author: string): Promise<Annotation> {
    const old = this.annotations.get(annotationId);
    if (!old) throw new NotFoundError(`annotation ${annotationId} not found`);
    return this.save({
      imageId: old.imageId,
      maskPng: this.maskOf(annotationId),
      author,
      modelId: old.modelId ?? undefined,
      threshold: old.threshold ?? undefined,
      parentId: old.id,
      findings: old.findings,
    });
  }

  /**
   * The next study to review: among studies with no saved annotation, the one whose current-model
   * prediction is least sure (highest mean entropy), or a random one.
   */
  nextCase(strategy: NextCase['strategy'], excludeStudyId?: number): NextCase | null {
    const modelId = this.registry.current()?.id ?? '';
    const rows = this.workspace.db
      .prepare(
        `SELECT series.study_pk AS studyId, images.id AS imageId, predictions.uncertainty AS uncertainty
           FROM images JOIN series ON series.id = images.series_pk
           LEFT JOIN predictions ON predictions.image_pk = images.id AND predictions.model_id = ?
          WHERE images.for_display = 1
            AND series.study_pk NOT IN (SELECT s.study_pk FROM annotations a JOIN images i ON i.id = a.image_pk JOIN series s ON s.id = i.series_pk)`,
      )
      .all(modelId) as { studyId: number; imageId: number; uncertainty: number | null }[];
    const candidates = rows.filter((r) => r.studyId !== excludeStudyId);
    if (!candidates.length) return null;
    if (strategy === 'random') {
      const pick = candidates[Math.floor(seededRandom(Date.now() & 0x7fffffff)() * candidates.length)]!;
      return { ...pick, strategy };
    }
    const scored = candidates
      .filter((r) => r.uncertainty !== null)
      .sort((a, b) => b.uncertainty! - a.uncertainty!);
    const pick = scored[0] ?? candidates[0]!;
    return { ...pick, strategy };
  }

  /** Dice between the model's map at the threshold the reader saw and the saved mask. */
  private async correctionDice(
    imageId: number,
    mask: Uint8Array,
    modelId: string | undefined,
    threshold: number | undefined,
  ): Promise<number | null> {
    if (!modelId) return null;
    const prediction = this.predictions.find(imageId, modelId);
    const mapPath = prediction && this.workspace.resolvePath(prediction.mapPath);
    if (!prediction || !mapPath || !existsSync(mapPath)) return null;
    const level = Math.round((threshold ?? prediction.findingThreshold) * 255);
    const counts = await this.decoder.countMapOverlap(mapPath, mask, level);
    // Both empty: the reader agreed there is nothing.
    if (counts.truePositives + counts.falsePositives + counts.falseNegatives === 0) return 1;
    return pixelMetrics(counts).lesionDice;
  }

  private requireImage(imageId: number) {
    const image = this.studies.getImage(imageId);
    if (!image) throw new NotFoundError(`image ${imageId} not found`);
    return image;
  }
}
