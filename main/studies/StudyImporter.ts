import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ImportError, ImportProgress, ImportResult } from '../api/importing.js';
import { sha256HexOfFile } from '../common/sha256.js';
import { AuditLog } from '../db/AuditLog.js';
import { StudyRepository } from '../db/StudyRepository.js';
import type { Image } from '../api/domain.js';
import type { DecodePool } from '../imaging/DecodePool.js';
import { ImageDecodeError } from '../imaging/errors.js';
import { readDicomHeaderFile, readImageFile } from '../imaging/readImageFile.js';
import { ContentStore } from '../workspace/ContentStore.js';
import type { Workspace } from '../workspace/Workspace.js';
import { type DicomImportRecord, ImportRejection, readDicomImportRecord } from './dicomMetadata.js';
import { MIAS_IMAGE_NAME } from './mias/miasCaseIdentity.js';
import { scanFiles } from './scanFiles.js';

export type ImportOutcome = ImportProgress['outcome'];

/** DICOM Segmentation Storage: read back as annotations rather than imported as images. */
export const SEGMENTATION_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.4';

/** Imports a DICOM SEG as annotations (main/reports/dicom/SegmentationImporter.ts). */
export interface SegmentationSink {
  importBytes(bytes: Uint8Array): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }>;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /**
   * How the user named a file, for the audit log: a browser upload's temp copy is recorded under
   * the name the user dropped or picked, not the temp path. The path itself when absent.
   */
  sourceName?: (file: string) => string;
}

/** What a caller on the server side adds to an import request: cancellation and the user's file names. */
export type ImportContext = Pick<ImportOptions, 'signal' | 'sourceName'>;

/** What the audit log records as an imported file's name (see {@link ImportOptions.sourceName}). */
export function auditedFileName(file: string, options: ImportOptions): string {
  return options.sourceName?.(file) ?? file;
}

/** Checks off the calling thread that a file decodes; {@link DecodePool} is one. */
export type PixelDecoder = Pick<DecodePool, 'check'>;

/** A file that is not DICOM at all (a README beside the images): reported, not a failed DICOM. */
export class NotDicomRejection extends ImportRejection {}

/** The reason alone: the batch reports the user's full path beside it. */
async function refusingUndecodable<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ImageDecodeError)) throw error;
    if (error.code === 'unknown-format') throw new NotDicomRejection(error.reason, { cause: error });
    throw new ImportRejection(error.reason, { cause: error });
  }
}

/**
 * Imports DICOM files into the workspace: each accepted file is checked from its size and header,
 * streamed into the content store (hashed as it is copied), its stored copy decoded in a worker,
 * then recorded in one transaction, so a crash leaves every recorded image complete and every
 * recorded image decodes. This thread reads a file's header and passes its bytes through a chunk
 * at a time; it never holds a whole file or its pixels.
 */
export class StudyImporter {
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly store: ContentStore;

  constructor(
    private readonly workspace: Workspace,
    private readonly decoder: PixelDecoder,
    private readonly segmentations?: SegmentationSink,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.store = new ContentStore(workspace);
  }

  async importPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
    const { files, errors } = scanFiles(paths);
    const result = await runImportBatch(files, errors, this.studies, options, (file) =>
      this.importFile(file, auditedFileName(file, options)),
    );
    const miasImages = result.errors.filter(
      (error) => error.notDicom && MIAS_IMAGE_NAME.test(basename(error.file)),
    );
    return miasImages.length ? { ...result, suggestedFormat: 'mias' } : result;
  }

  /**
   * Imports one file; returns the study it belongs to, or throws with the reason it was refused.
   * The audit log names it `auditName` (the user's name for it; its path by default).
   */
  async importFile(
    file: string,
    auditName = file,
  ): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }> {
    // The header alone (kilobytes of a 27 MB scan): the pixels are copied and hashed as a stream,
    // and decoded in the worker.
    const parsed = await refusingUndecodable(() => readDicomHeaderFile(file));
    if (this.segmentations && parsed.dataSet.string('x00080016') === SEGMENTATION_SOP_CLASS_UID) {
      const bytes = await refusingUndecodable(() => readImageFile(file));
      try {
        const { outcome, studyPk } = await this.segmentations.importBytes(bytes);
        return { outcome, studyPk };
      } catch (error) {
        throw new ImportRejection(`DICOM SEG: ${(error as Error).message}`, { cause: error });
      }
    }
    const claimed = readDicomImportRecord(parsed);
    const existing = this.studies.findImageBySopInstanceUid(claimed.image.sopInstanceUid);
    if (existing) {
      if ((await sha256HexOfFile(file)) === existing.sha256) {
        // The same bytes: re-storing them repairs a store file that was left damaged.
        await this.store.putFile(file, 'dcm', existing.sha256);
        return { outcome: 'skipped', studyPk: existing.studyId };
      }
      if (await this.isIntact(existing)) return { outcome: 'skipped', studyPk: existing.studyId };
    }

    const { path, sha256, bytes } = await this.store.putFile(file, 'dcm');
    // The record and the decode come from the stored copy, not the user's file again: the bytes
    // checked are the bytes kept, even if the user's file changes in between.
    const stored = this.workspace.resolvePath(path);
    let record: DicomImportRecord;
    try {
      record = readDicomImportRecord(await refusingUndecodable(() => readDicomHeaderFile(stored)));
      await refusingUndecodable(() => this.decoder.check(stored));
    } catch (error) {
      if (error instanceof ImportRejection && !this.studies.isSha256Referenced(sha256))
        await this.store.remove(path);
      throw error;
    }
    const newImage = { ...record.image, format: 'dicom' as const, path, sha256, fileSize: bytes };
    const importedAt = new Date().toISOString();
    return this.workspace.db.transaction(() => {
      // Another process may have imported the same instance since the check above.
      const raced = this.studies.findImageBySopInstanceUid(record.image.sopInstanceUid);
      if (raced && raced.sha256 !== existing?.sha256)
        return { outcome: 'skipped' as const, studyPk: raced.studyId };
      if (raced) {
        this.studies.replaceImageFile(raced.id, newImage);
        this.audit.record('image.replaced', record.image.sopInstanceUid, {
          file: auditName,
          sha256,
          broken: raced.sha256,
        });
        return { outcome: 'imported' as const, studyPk: raced.studyId };
      }
      const patientPk = this.studies.upsertPatient(record.patient);
      const studyPk = this.studies.upsertStudy(patientPk, record.study, importedAt);
      const seriesPk = this.studies.upsertSeries(studyPk, record.series);
      this.studies.insertImage(seriesPk, newImage, importedAt);
      this.audit.record('image.imported', record.image.sopInstanceUid, { file: auditName, sha256 });
      return { outcome: 'imported' as const, studyPk };
    })();
  }

  /** Whether a stored image's file still has its recorded hash and decodes (in a worker). */
  private async isIntact(image: Image): Promise<boolean> {
    const stored = this.workspace.resolvePath(image.path);
    if (!existsSync(stored) || (await sha256HexOfFile(stored)) !== image.sha256) return false;
    return this.decoder.check(stored).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ImageDecodeError) return false;
        throw error;
      },
    );
  }
}

/**
 * The loop shared by every import format: one file at a time, a bad file becomes an error entry
 * and the batch goes on, progress after each file, cancellation between files.
 */
export async function runImportBatch(
  files: readonly string[],
  initialErrors: ImportError[],
  studies: StudyRepository,
  options: ImportOptions,
  importOne: (file: string) => Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }>,
): Promise<ImportResult> {
  const errors = [...initialErrors];
  const touchedStudies = new Set<number>();
  let imported = 0;
  let skipped = 0;
  for (const [index, file] of files.entries()) {
    options.signal?.throwIfAborted();
    let outcome: ImportOutcome;
    try {
      const result = await importOne(file);
      outcome = result.outcome;
      touchedStudies.add(result.studyPk);
      if (outcome === 'imported') imported++;
      else skipped++;
    } catch (error) {
      outcome = 'error';
      const reason = error instanceof Error ? error.message : String(error);
      errors.push(error instanceof NotDicomRejection ? { file, reason, notDicom: true } : { file, reason });
    }
    options.onProgress?.({ done: index + 1, total: files.length, file, outcome });
    await yieldToEventLoop();
  }
  return { imported, skipped, errors, studies: studies.listStudySummaries([...touchedStudies]) };
}
