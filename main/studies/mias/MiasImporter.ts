import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { ImportError, ImportResult } from '../../api/importing.js';
import { sha256HexYielding } from '../../common/sha256.js';
import { AuditLog } from '../../db/AuditLog.js';
import { StudyRepository } from '../../db/StudyRepository.js';
import { ContentStore } from '../../workspace/ContentStore.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { ImportRejection } from '../dicomMetadata.js';
import { auditedFileName, type ImportOptions } from '../StudyImporter.js';
import { runImportBatch } from '../StudyImporter.js';
import type { MiasRecord } from './miasAnnotations.js';
import { parseMiasAnnotations } from './miasAnnotations.js';
import { readRasterHeader } from './rasterHeader.js';
import { MIAS_IMAGE_NAME, miasCaseIdentity } from './miasCaseIdentity.js';

/** mini-MIAS pixels are 200 micron. */
export const MIAS_PIXEL_SPACING_MM = 0.2;
const ANNOTATION_FILES = ['annotations.csv', 'Info.txt', 'info.txt'];

/**
 * Imports the mini-MIAS layout: `mdbNNN.png|pgm` (in DIR or DIR/images) plus the case list. Each
 * pair of images is one patient (odd = right, even = left, both MLO); circles become ground truth.
 */
export class MiasImporter {
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly store: ContentStore;

  constructor(private readonly workspace: Workspace) {
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.store = new ContentStore(workspace);
  }

  async importFolder(folder: string, options: ImportOptions = {}): Promise<ImportResult> {
    const root = resolve(folder);
    const errors: ImportError[] = [];
    const annotationFile = ANNOTATION_FILES.map((name) => join(root, name)).find((path) => existsSync(path));
    if (!annotationFile) {
      return {
        imported: 0,
        skipped: 0,
        errors: [{ file: root, reason: 'no annotations.csv or Info.txt' }],
        studies: [],
      };
    }
    const records = parseMiasAnnotations(readFileSync(annotationFile, 'utf8'));
    const imageFolder = existsSync(join(root, 'images')) ? join(root, 'images') : root;
    const files: string[] = [];
    for (const name of readdirSync(imageFolder).sort()) {
      if (MIAS_IMAGE_NAME.test(name)) files.push(join(imageFolder, name));
      else if (imageFolder !== root)
        errors.push({
          file: join(imageFolder, name),
          reason: 'not a mini-MIAS image name (mdbNNN.png or .pgm)',
        });
    }
    return runImportBatch(files, errors, this.studies, options, (file) =>
      this.importImage(file, records, auditedFileName(file, options)),
    );
  }

  private async importImage(
    file: string,
    records: Map<string, MiasRecord[]>,
    auditName: string,
  ): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }> {
    const refnum = basename(file, extname(file)).toLowerCase();
    const caseRecords = records.get(refnum);
    if (!caseRecords) throw new ImportRejection(`no record for ${refnum} in the case list`);
    const identity = miasCaseIdentity(refnum);
    const existing = this.studies.findImageBySopInstanceUid(identity.sopInstanceUid);
    if (existing) return { outcome: 'skipped', studyPk: existing.studyId };

    const bytes = await readFile(file);
    let header;
    try {
      header = readRasterHeader(bytes);
    } catch (error) {
      throw new ImportRejection((error as Error).message);
    }
    const sha256 = await sha256HexYielding(bytes);
    const path = await this.store.put(bytes, sha256, header.format);
    const importedAt = new Date().toISOString();
    return this.workspace.db.transaction(() => {
      const { studyPk, seriesPk } = this.studies.upsertDataSetSeries(
        identity,
        { description: 'mini-MIAS', source: 'mias' },
        { modality: 'MG', seriesNumber: 1, description: 'mini-MIAS MLO', bodyPart: 'BREAST' },
        importedAt,
      );
      const imagePk = this.studies.insertImage(
        seriesPk,
        {
          sopInstanceUid: identity.sopInstanceUid,
          sopClassUid: null,
          instanceNumber: identity.imageNumber,
          laterality: identity.laterality,
          view: 'MLO',
          presentationIntent: 'FOR PRESENTATION',
          forDisplay: true,
          photometric: 'MONOCHROME2',
          bitsAllocated: header.bitDepth,
          bitsStored: header.bitDepth,
          pixelRepresentation: 0,
          rows: header.rows,
          columns: header.columns,
          pixelSpacingMm: [MIAS_PIXEL_SPACING_MM, MIAS_PIXEL_SPACING_MM],
          pixelSpacingSource: 'nominal',
          windowCenter: null,
          windowWidth: null,
          voiLutFunction: null,
          hasVoiLutSequence: false,
          transferSyntaxUid: null,
          format: header.format,
          path,
          sha256,
          fileSize: bytes.length,
        },
        importedAt,
      );
      for (const record of caseRecords) {
        if (record.abnormalityClass === 'NORM') continue;
        this.studies.insertGroundTruth(imagePk, {
          abnormalityClass: record.abnormalityClass,
          severity: record.severity,
          // MIAS counts y from the bottom; the workstation counts rows from the top.
          circle:
            record.x === null || record.y === null || record.radius === null
              ? null
              : { centerColumn: record.x, centerRow: header.rows - record.y, radius: record.radius },
          source: 'mias',
        });
      }
      this.audit.record('image.imported', identity.sopInstanceUid, {
        file: auditName,
        sha256,
        format: 'mias',
      });
      return { outcome: 'imported' as const, studyPk };
    })();
  }
}
