import type { GroundTruthDetails } from '../../api/domain.js';
import type { ImportResult } from '../../api/importing.js';
import { sha256Hex } from '../../common/sha256.js';
import { AuditLog } from '../../db/AuditLog.js';
import { StudyRepository } from '../../db/StudyRepository.js';
import type { ParsedDicom } from '../../imaging/dicomFile.js';
import { ImageDecodeError } from '../../imaging/errors.js';
import { readDicomHeaderFile } from '../../imaging/readImageFile.js';
import { ContentStore } from '../../workspace/ContentStore.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { ImportRejection, readDicomImportRecord } from '../dicomMetadata.js';
import { auditedFileName, runImportBatch, type ImportOptions } from '../StudyImporter.js';
import type { CbisCaseRow } from './caseTable.js';
import { CBIS_AUTHOR, type CbisPixelWorker } from './CbisDdsmImporter.js';
import { identityOf } from './cbisIdentity.js';
import { caseIdentityElements, caseIdentityRefusal } from './tciaDicomIdentity.js';
import {
  dicomFilesOfCase,
  planTciaImport,
  resolveTciaPath,
  tciaCaseTablesOf,
  type TciaImagePlan,
} from './tciaLayout.js';
import { readRoiOutline, type RoiOutline } from './tciaRoiMask.js';
import { TCIA_ESTIMATED_SPACING_MM, TCIA_SPACING_DERIVATION } from './tciaSpacing.js';

/**
 * Imports CBIS-DDSM as TCIA publishes it: the case tables name, per abnormality, the full
 * mammogram DICOM and its ROI mask DICOM. Each full mammogram is stored as DICOM under the case
 * table's patient, side and view; each mask becomes a real outline (a mask PNG in the workspace,
 * with its box and enclosing circle) carrying its own row's pathology, assessment and subtlety.
 * An image whose files or masks are missing or do not fit is refused whole, in one line.
 */
export class TciaImporter {
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly store: ContentStore;

  constructor(
    private readonly workspace: Workspace,
    /** Decodes the DICOM files, reads the masks and rewrites the films off this thread; a `DecodePool`. */
    private readonly decoder: CbisPixelWorker,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.store = new ContentStore(workspace);
  }

  /** Whether a folder is the TCIA layout: it holds a case table naming DICOM files. */
  static isTciaLayout(root: string): boolean {
    return tciaCaseTablesOf(root).length > 0;
  }

  async importFolder(root: string, options: ImportOptions = {}): Promise<ImportResult> {
    const { images, errors } = planTciaImport(root, tciaCaseTablesOf(root));
    const plans = new Map(images.map((plan) => [plan.imageFile, plan]));
    return runImportBatch([...plans.keys()], errors, this.studies, options, (file) =>
      this.importImage(root, plans.get(file)!, auditedFileName(file, options), options.signal),
    );
  }

  private async importImage(
    root: string,
    plan: TciaImagePlan,
    auditName: string,
    signal: AbortSignal | undefined,
  ): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }> {
    const first = plan.rows[0]!;
    const identity = identityOf(first.patientId, first.laterality, first.view);
    const existing = this.studies.findImageBySopInstanceUid(identity.sopInstanceUid);
    if (existing) return { outcome: 'skipped', studyPk: existing.studyId };

    // The header alone: the film itself (tens of megabytes) is read and rewritten in the worker.
    const parsed: ParsedDicom = await refusingUndecodable(() => readDicomHeaderFile(plan.imageFile));
    const record = readDicomImportRecord(parsed);
    const { rows, columns } = record.image;
    // Every outline is read and checked before anything is stored: nothing half-imported.
    const outlines: RoiOutline[] = [];
    for (const [index, row] of plan.rows.entries()) {
      const subject = `abnormality ${row.abnormalityId} (${plan.tables[index]!})`;
      if (!row.roiMaskPath) throw new ImportRejection(`${subject}: its row names no ROI mask file`);
      const named = [row.roiMaskPath, row.cropPath].flatMap((path) => {
        const resolved = path ? resolveTciaPath(root, path) : null;
        return resolved ? [resolved] : [];
      });
      const candidates = resolveTciaPath(root, row.roiMaskPath)
        ? named
        : dicomFilesOfCase(root, row.roiMaskPath);
      if (!candidates.length)
        throw new ImportRejection(`${subject}: its ROI mask ${row.roiMaskPath} is missing`);
      try {
        outlines.push(await readRoiOutline(candidates, rows, columns, this.decoder, signal));
      } catch (error) {
        if (error instanceof ImportRejection) throw new ImportRejection(`${subject}: ${error.message}`);
        throw error;
      }
    }

    const refusal = caseIdentityRefusal(parsed);
    if (refusal) throw new ImportRejection(refusal);
    const { bytes, sha256, sourceSha256 } = await refusingUndecodable(() =>
      this.decoder.rewriteDicomHeader(plan.imageFile, caseIdentityElements(identity), signal),
    );
    const stored: string[] = [];
    try {
      const path = await this.store.put(bytes, sha256, 'dcm');
      stored.push(path);
      // The stored copy is what the viewer will decode: it must (the worker keeps the pixels).
      await refusingUndecodable(() => this.decoder.check(this.workspace.resolvePath(path), signal));
      const outlinePaths: string[] = [];
      for (const outline of outlines) {
        const outlinePath = await this.store.put(outline.png, sha256Hex(outline.png), 'png');
        stored.push(outlinePath);
        outlinePaths.push(outlinePath);
      }
      const spacing = record.image.pixelSpacingMm
        ? { pixelSpacingMm: record.image.pixelSpacingMm, pixelSpacingSource: record.image.pixelSpacingSource }
        : {
            pixelSpacingMm: [TCIA_ESTIMATED_SPACING_MM, TCIA_ESTIMATED_SPACING_MM] as [number, number],
            pixelSpacingSource: 'estimated' as const,
            pixelSpacingNote: TCIA_SPACING_DERIVATION,
          };
      const importedAt = new Date().toISOString();
      return this.workspace.db.transaction(() => {
        const { studyPk, seriesPk } = this.studies.upsertDataSetSeries(
          identity,
          { description: `CBIS-DDSM ${plan.split} split (TCIA)`, source: 'cbis-ddsm' },
          {
            modality: record.series.modality,
            seriesNumber: null,
            description: `CBIS-DDSM ${identity.laterality}${identity.view} (scanned film)`,
            bodyPart: 'BREAST',
          },
          importedAt,
        );
        const imagePk = this.studies.insertImage(
          seriesPk,
          {
            ...record.image,
            ...spacing,
            sopInstanceUid: identity.sopInstanceUid,
            laterality: identity.laterality,
            view: identity.view,
            format: 'dicom',
            path,
            sha256,
            fileSize: bytes.length,
          },
          importedAt,
        );
        for (const [index, row] of plan.rows.entries()) {
          const outline = outlines[index]!;
          this.studies.insertGroundTruth(imagePk, {
            abnormalityClass: /calc/i.test(row.abnormalityType) ? 'CALC' : 'MASS',
            severity: row.pathology === 'MALIGNANT' ? 'M' : 'B',
            circle: outline.circle,
            box: outline.box,
            outlinePath: outlinePaths[index]!,
            details: detailsOf(row, plan.split),
            source: 'cbis-ddsm',
          });
        }
        this.audit.record('image.imported', identity.sopInstanceUid, {
          file: auditName,
          sha256: sourceSha256,
          stored: sha256,
          masks: outlines.map((outline) => outline.file),
          format: 'cbis-ddsm',
        });
        return { outcome: 'imported' as const, studyPk };
      })();
    } catch (error) {
      await this.removeUnrecorded(stored);
      throw error;
    }
  }

  /** Stored files of a refused image that no record points to (the same bytes may be another's). */
  private async removeUnrecorded(paths: readonly string[]): Promise<void> {
    const recorded = this.workspace.db.prepare(
      'SELECT 1 FROM images WHERE path = ? UNION ALL SELECT 1 FROM ground_truth_findings WHERE outline_path = ? LIMIT 1',
    );
    for (const path of paths) if (!recorded.get(path, path)) await this.store.remove(path);
  }
}

/** A row's own details: in this layout each mask is one row, so nothing is shared or guessed. */
function detailsOf(row: CbisCaseRow, officialSplit: 'train' | 'test'): GroundTruthDetails {
  return {
    author: CBIS_AUTHOR,
    pathology: row.pathology,
    breastDensity: row.breastDensity,
    assessment: row.assessment,
    subtlety: row.subtlety,
    massShape: row.massShape,
    massMargins: row.massMargins,
    officialSplit,
  };
}

/** A file the decoder cannot read is refused with the reason alone (the batch names the file). */
async function refusingUndecodable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new ImportRejection(error.reason, { cause: error });
    throw error;
  }
}
