import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ImportError, ImportProgress, ImportResult } from '../api/importing.js';
import { sha256Hex } from '../common/sha256.js';
import { AuditLog } from '../db/AuditLog.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { parseDicomBytes } from '../imaging/dicomFile.js';
import { ImageDecodeError } from '../imaging/errors.js';
import { ContentStore } from '../workspace/ContentStore.js';
import type { Workspace } from '../workspace/Workspace.js';
import { ImportRejection, readDicomImportRecord } from './dicomMetadata.js';
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
}

/**
 * Imports DICOM files into the workspace: each accepted file is copied into the content store
 * and recorded in one transaction, so a crash leaves every recorded image complete.
 */
export class StudyImporter {
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly store: ContentStore;

  constructor(
    private readonly workspace: Workspace,
    private readonly segmentations?: SegmentationSink,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.store = new ContentStore(workspace);
  }

  async importPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
    const { files, errors } = scanFiles(paths);
    return runImportBatch(files, errors, this.studies, options, (file) => this.importFile(file));
  }

  /** Imports one file; returns the study it belongs to, or throws with the reason it was refused. */
  async importFile(file: string): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }> {
    const bytes = await readFile(file);
    let parsed;
    try {
      parsed = parseDicomBytes(bytes);
    } catch (error) {
      // The batch reports the full path, so keep only the reason.
      if (error instanceof ImageDecodeError) throw new ImportRejection(error.reason);
      throw error;
    }
    if (this.segmentations && parsed.dataSet.string('x00080016') === SEGMENTATION_SOP_CLASS_UID) {
      try {
        const { outcome, studyPk } = await this.segmentations.importBytes(bytes);
        return { outcome, studyPk };
      } catch (error) {
        throw new ImportRejection(`DICOM SEG: ${(error as Error).message}`, { cause: error });
      }
    }
    const record = readDicomImportRecord(parsed);
    const existing = this.studies.findImageBySopInstanceUid(record.image.sopInstanceUid);
    if (existing) return { outcome: 'skipped', studyPk: existing.studyId };

    const sha256 = sha256Hex(bytes);
    const path = this.store.put(bytes, sha256, 'dcm');
    const importedAt = new Date().toISOString();
    return this.workspace.db.transaction(() => {
      // Another process may have imported the same instance since the check above.
      const raced = this.studies.findImageBySopInstanceUid(record.image.sopInstanceUid);
      if (raced) return { outcome: 'skipped' as const, studyPk: raced.studyId };
      const patientPk = this.studies.upsertPatient(record.patient);
      const studyPk = this.studies.upsertStudy(patientPk, record.study, importedAt);
      const seriesPk = this.studies.upsertSeries(studyPk, record.series);
      this.studies.insertImage(
        seriesPk,
        { ...record.image, format: 'dicom', path, sha256, fileSize: bytes.length },
        importedAt,
      );
      this.audit.record('image.imported', record.image.sopInstanceUid, { file, sha256 });
      return { outcome: 'imported' as const, studyPk };
    })();
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
      errors.push({ file, reason: error instanceof Error ? error.message : String(error) });
    }
    options.onProgress?.({ done: index + 1, total: files.length, file, outcome });
    await yieldToEventLoop();
  }
  return { imported, skipped, errors, studies: studies.listStudySummaries([...touchedStudies]) };
}
