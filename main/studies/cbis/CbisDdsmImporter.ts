import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { GroundTruthDetails } from '../../api/domain.js';
import type { ImportError, ImportResult } from '../../api/importing.js';
import { sha256Hex } from '../../common/sha256.js';
import { AuditLog } from '../../db/AuditLog.js';
import { StudyRepository } from '../../db/StudyRepository.js';
import type { DecodePool } from '../../imaging/DecodePool.js';
import { readImageFile } from '../../imaging/readImageFile.js';
import { ContentStore } from '../../workspace/ContentStore.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { ImportRejection } from '../dicomMetadata.js';
import { auditedFileName, runImportBatch, type ImportOptions } from '../StudyImporter.js';
import { CaseTableError, caseKey, groupCaseRows, parseCaseTable, type CbisCaseRow } from './caseTable.js';
import { CBIS_IMAGE_NAME, cbisImageIdentity } from './cbisIdentity.js';
import { CocoAnnotationsError, parseCocoBoxes, type CocoImage } from './cocoBoxes.js';
import { readSquareImage, squareBox } from './squareImage.js';
import { CBIS_ESTIMATED_SPACING_MM, CBIS_SPACING_DERIVATION } from './squarePixels.js';
import { TciaImporter } from './TciaImporter.js';

const COCO_FILE = '_annotations.coco.json';
const SPLIT_FOLDERS = ['train', 'test'] as const;
type OfficialSplit = (typeof SPLIT_FOLDERS)[number];

/** The data set's curators, the author of every imported label. */
export const CBIS_AUTHOR = 'CBIS-DDSM';

/**
 * The pixel work of a CBIS-DDSM import, done off the calling thread: decoding and rescaling the
 * COCO copies, checking that the TCIA DICOMs decode, reading their masks and giving the films the case
 * identity. {@link DecodePool} is one.
 */
export type CbisPixelWorker = Pick<
  DecodePool,
  'check' | 'rescaleGray8Rows' | 'readBinaryMask' | 'rewriteDicomHeader'
>;

/** One split folder of the COCO layout, read and checked before any image goes in. */
interface SplitFolder {
  folder: string;
  split: OfficialSplit;
  boxes: Map<string, CocoImage>;
  cases: Map<string, CbisCaseRow[]>;
}

/**
 * Imports CBIS-DDSM as published in 800x800 COCO form: DIR holds `train/` and/or `test/` (images
 * named `PPPPP_SIDE_VIEW.jpg` with `_annotations.coco.json`) and, beside them, the official case
 * tables (`mass_case_description_train_set.csv`, `..._test_set.csv`). DIR may also be one split
 * folder itself. Each image is rescaled to square pixels, stored as an 8-bit PNG with its spacing
 * recorded as estimated, and its boxes become ground truth with the case table's details. An image
 * whose boxes, case rows or file do not agree is refused whole, in one line; the batch goes on.
 * A folder in the official TCIA layout (case tables naming DICOM files) goes to {@link TciaImporter}.
 */
export class CbisDdsmImporter {
  private readonly studies: StudyRepository;
  private readonly audit: AuditLog;
  private readonly store: ContentStore;

  constructor(
    private readonly workspace: Workspace,
    private readonly pixels: CbisPixelWorker,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.audit = new AuditLog(workspace.db);
    this.store = new ContentStore(workspace);
  }

  async importFolder(folder: string, options: ImportOptions = {}): Promise<ImportResult> {
    const root = resolve(folder);
    if (splitFoldersOf(root).length === 0 && TciaImporter.isTciaLayout(root))
      return new TciaImporter(this.workspace, this.pixels).importFolder(root, options);
    const errors: ImportError[] = [];
    const splits: SplitFolder[] = [];
    for (const split of splitFoldersOf(root)) {
      try {
        splits.push(readSplitFolder(split.folder, split.split));
      } catch (error) {
        errors.push({ file: (error as FolderError).file ?? split.folder, reason: (error as Error).message });
      }
    }
    if (splits.length === 0 && errors.length === 0)
      errors.push({
        file: root,
        reason: `no train/ or test/ folder with ${COCO_FILE}, nor a case table naming DICOM files (the TCIA layout)`,
      });

    const files: string[] = [];
    const plan = new Map<string, { split: SplitFolder; coco: CocoImage }>();
    for (const split of splits) {
      const names = new Set(readdirSync(split.folder));
      for (const fileName of split.boxes.keys()) {
        if (!names.has(fileName))
          errors.push({
            file: join(split.folder, fileName),
            reason: `${COCO_FILE} names this image but there is no such file`,
          });
      }
      for (const name of [...names].sort()) {
        if (name === COCO_FILE || name.startsWith('.')) continue;
        const file = join(split.folder, name);
        const coco = split.boxes.get(name);
        if (!CBIS_IMAGE_NAME.test(name)) {
          errors.push({ file, reason: 'not a CBIS-DDSM image name (PPPPP_LEFT|RIGHT_CC|MLO.jpg)' });
        } else if (!coco) {
          errors.push({ file, reason: `${COCO_FILE} lists no such image` });
        } else {
          files.push(file);
          plan.set(file, { split, coco });
        }
      }
    }
    return runImportBatch(files, errors, this.studies, options, (file) =>
      this.importImage(
        file,
        plan.get(file)!.split,
        plan.get(file)!.coco,
        auditedFileName(file, options),
        options.signal,
      ),
    );
  }

  private async importImage(
    file: string,
    split: SplitFolder,
    coco: CocoImage,
    auditName: string,
    signal: AbortSignal | undefined,
  ): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }> {
    const identity = cbisImageIdentity(basename(file))!;
    const rows = split.cases.get(caseKey(identity.casePatientId, identity.laterality, identity.view)) ?? [];
    if (coco.problems.length) throw new ImportRejection(coco.problems.join('; '));
    if (rows.length === 0) throw new ImportRejection('the case table has no row for this image');
    if (coco.boxes.length !== rows.length)
      throw new ImportRejection(
        `${coco.boxes.length} box(es) in ${COCO_FILE} but ${rows.length} case table row(s): which is which cannot be told`,
      );
    const existing = this.studies.findImageBySopInstanceUid(identity.sopInstanceUid);
    if (existing) return { outcome: 'skipped', studyPk: existing.studyId };

    const source = await readImageFile(file);
    const square = await readSquareImage(source, this.pixels, signal);
    const { squashed, png, ...size } = square;
    if (squashed.columns !== coco.width || squashed.rows !== coco.height)
      throw new ImportRejection(
        `the image is ${squashed.columns}x${squashed.rows} but ${COCO_FILE} says ${coco.width}x${coco.height}`,
      );
    const sha256 = sha256Hex(png);
    const path = await this.store.put(png, sha256, 'png');
    const shared = sharedDetails(rows, split.split);
    const importedAt = new Date().toISOString();
    return this.workspace.db.transaction(() => {
      const { studyPk, seriesPk } = this.studies.upsertDataSetSeries(
        identity,
        { description: `CBIS-DDSM mass ${split.split} split`, source: 'cbis-ddsm' },
        {
          modality: 'MG',
          seriesNumber: null,
          description: `CBIS-DDSM ${identity.laterality}${identity.view} (scanned film)`,
          bodyPart: 'BREAST',
        },
        importedAt,
      );
      const imagePk = this.studies.insertImage(
        seriesPk,
        {
          sopInstanceUid: identity.sopInstanceUid,
          sopClassUid: null,
          instanceNumber: null,
          laterality: identity.laterality,
          view: identity.view,
          presentationIntent: 'FOR PRESENTATION',
          forDisplay: true,
          photometric: 'MONOCHROME2',
          bitsAllocated: 8,
          bitsStored: 8,
          pixelRepresentation: 0,
          rows: size.rows,
          columns: size.columns,
          pixelSpacingMm: [CBIS_ESTIMATED_SPACING_MM, CBIS_ESTIMATED_SPACING_MM],
          pixelSpacingSource: 'estimated',
          pixelSpacingNote: CBIS_SPACING_DERIVATION,
          windowCenter: null,
          windowWidth: null,
          voiLutFunction: null,
          hasVoiLutSequence: false,
          transferSyntaxUid: null,
          format: 'png',
          path,
          sha256,
          fileSize: png.length,
        },
        importedAt,
      );
      for (const cocoBox of coco.boxes) {
        // The same formula evaluation uses, so a model is judged against the boxes it learned.
        const box = squareBox(cocoBox, square);
        const { left, top, width, height } = box;
        this.studies.insertGroundTruth(imagePk, {
          abnormalityClass: 'MASS',
          severity: shared.pathology === null ? null : shared.pathology === 'MALIGNANT' ? 'M' : 'B',
          // The circle through the box's corners: what centre-based readers (FROC hits) use.
          circle: {
            centerColumn: left + width / 2,
            centerRow: top + height / 2,
            radius: Math.hypot(width, height) / 2,
          },
          box,
          details: shared,
          source: 'cbis-ddsm',
        });
      }
      this.audit.record('image.imported', identity.sopInstanceUid, {
        file: auditName,
        sha256: sha256Hex(source),
        stored: sha256,
        format: 'cbis-ddsm',
      });
      return { outcome: 'imported' as const, studyPk };
    })();
  }
}

/** A whole split folder refused: its annotations or case table cannot be read. */
class FolderError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(reason);
  }
}

function splitFoldersOf(root: string): { folder: string; split: OfficialSplit }[] {
  const own = basename(root).toLowerCase();
  if ((own === 'train' || own === 'test') && existsSync(join(root, COCO_FILE)))
    return [{ folder: root, split: own }];
  return SPLIT_FOLDERS.map((split) => ({ folder: join(root, split), split })).filter((s) =>
    existsSync(s.folder),
  );
}

function readSplitFolder(folder: string, split: OfficialSplit): SplitFolder {
  const cocoFile = join(folder, COCO_FILE);
  if (!existsSync(cocoFile))
    throw new FolderError(cocoFile, `missing: the ${split} folder has no ${COCO_FILE}`);
  let boxes: Map<string, CocoImage>;
  try {
    boxes = parseCocoBoxes(readFileSync(cocoFile, 'utf8'));
  } catch (error) {
    if (error instanceof CocoAnnotationsError) throw new FolderError(cocoFile, error.message);
    throw error;
  }
  const tables = readdirSync(dirname(folder)).filter((name) =>
    new RegExp(`case_description_${split}_set\\.csv$`, 'i').test(name),
  );
  if (tables.length === 0)
    throw new FolderError(
      dirname(folder),
      `no case table (*case_description_${split}_set.csv) beside ${basename(folder)}/`,
    );
  const rows: CbisCaseRow[] = [];
  for (const table of tables) {
    const path = join(dirname(folder), table);
    try {
      const parsed = parseCaseTable(readFileSync(path, 'utf8'));
      if (parsed.problems.length) throw new FolderError(path, parsed.problems.slice(0, 3).join('; '));
      rows.push(...parsed.rows.filter((row) => row.abnormalityType.toLowerCase() === 'mass'));
    } catch (error) {
      if (error instanceof CaseTableError) throw new FolderError(path, error.message);
      throw error;
    }
  }
  return { folder, split, boxes, cases: groupCaseRows(rows) };
}

/**
 * The case table's details for an image's boxes. Which box is which row is not recorded, so an
 * attribute is kept only where every row of the image agrees on it (density always does: it is
 * the breast's).
 */
function sharedDetails(rows: readonly CbisCaseRow[], officialSplit: OfficialSplit): GroundTruthDetails {
  const agreed = <T>(pick: (row: CbisCaseRow) => T): T | null => {
    const values = new Set(rows.map(pick));
    return values.size === 1 ? [...values][0]! : null;
  };
  return {
    author: CBIS_AUTHOR,
    pathology: agreed((r) => r.pathology),
    breastDensity: agreed((r) => r.breastDensity),
    assessment: agreed((r) => r.assessment),
    subtlety: agreed((r) => r.subtlety),
    massShape: agreed((r) => r.massShape),
    massMargins: agreed((r) => r.massMargins),
    officialSplit,
  };
}
