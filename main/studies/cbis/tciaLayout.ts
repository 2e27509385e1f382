/**
 * The official TCIA layout of CBIS-DDSM: a download folder holding the case tables
 * (`mass_case_description_train_set.csv`, `calc_case_description_test_set.csv`, ...) whose rows name
 * the DICOM files of each abnormality (full mammogram, ROI mask, cropped image) relative to that
 * folder. Here: telling the layout apart and planning which images the rows describe.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportError } from '../../api/importing.js';
import { CaseTableError, caseKey, parseCaseTable, parseCsv, type CbisCaseRow } from './caseTable.js';

/** A case table's name says its official split. */
const TCIA_CASE_TABLE = /case_description_(train|test)_set\.csv$/i;
/** The column that makes a case table the TCIA layout's: it names DICOM files. */
const IMAGE_PATH_COLUMN = 'image file path';
/** The folder TCIA's download tool creates; paths in the tables are relative to either. */
const TCIA_COLLECTION_FOLDER = 'CBIS-DDSM';

export type TciaSplit = 'train' | 'test';

/** One full mammogram and the case rows (abnormalities) drawn on it. */
export interface TciaImagePlan {
  /** The full mammogram DICOM, resolved. */
  imageFile: string;
  split: TciaSplit;
  /** Ordered by abnormality id; mass and calcification rows of one view together. */
  rows: CbisCaseRow[];
  /** The case table (file name) each row came from, for messages. */
  tables: string[];
}

/** The folder's case tables that name DICOM files: empty when it is not the TCIA layout. */
export function tciaCaseTablesOf(root: string): { path: string; split: TciaSplit }[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const match = TCIA_CASE_TABLE.exec(name);
      if (!match) return [];
      const path = join(root, name);
      const header = parseCsv(firstLine(path))[0]?.map((h) => h.trim().toLowerCase()) ?? [];
      return header.includes(IMAGE_PATH_COLUMN)
        ? [{ path, split: match[1]!.toLowerCase() as TciaSplit }]
        : [];
    });
}

function firstLine(path: string): string {
  const text = readFileSync(path, 'utf8');
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
}

/**
 * A table's path resolved under the download folder, as DIR/<path> or DIR/CBIS-DDSM/<path>; null
 * when neither is a file.
 */
export function resolveTciaPath(root: string, relative: string): string | null {
  const path = normalised(relative);
  for (const base of [root, join(root, TCIA_COLLECTION_FOLDER)]) {
    const candidate = join(base, path);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** A table's path as this platform's join takes it: forward slashes, relative. */
function normalised(relative: string): string {
  return relative.replace(/\\/g, '/').replace(/^\/+/, '');
}

/**
 * The DICOM files under the case folder a table path starts with (`Mass-Training_P_00001_LEFT_CC`),
 * for when the path itself is not there: newer TCIA downloads name the folders inside it by date
 * and series description (`07-20-2016-DDSM-74994/1.000000-full mammogram images-24515/1-1.dcm`)
 * where the tables name them by UID.
 */
export function dicomFilesOfCase(root: string, relative: string): string[] {
  const caseFolder = normalised(relative).split('/')[0];
  if (!caseFolder) return [];
  for (const base of [root, join(root, TCIA_COLLECTION_FOLDER)]) {
    const folder = join(base, caseFolder);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    return readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.toLowerCase().endsWith('.dcm'))
      .sort()
      .map((name) => join(folder, name));
  }
  return [];
}

/**
 * Reads the case tables and groups their rows by image. A table that cannot be read is refused
 * whole, one line per problem (a row that cannot be read may belong to any image, so importing
 * the rest would leave some image's ground truth incomplete); an image whose full mammogram is
 * missing is refused in one line.
 */
export function planTciaImport(
  root: string,
  tables: readonly { path: string; split: TciaSplit }[],
): { images: TciaImagePlan[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const groups = new Map<string, { split: TciaSplit; rows: CbisCaseRow[]; tables: string[] }>();
  for (const table of tables) {
    let parsed: ReturnType<typeof parseCaseTable>;
    try {
      parsed = parseCaseTable(readFileSync(table.path, 'utf8'));
    } catch (error) {
      if (!(error instanceof CaseTableError)) throw error;
      errors.push({ file: table.path, reason: error.message });
      continue;
    }
    if (parsed.problems.length) {
      for (const problem of parsed.problems)
        errors.push({ file: table.path, reason: `${problem}; nothing from this table was imported` });
      continue;
    }
    const name = table.path.slice(root.length + 1);
    for (const row of parsed.rows) {
      const key = `${table.split}:${caseKey(row.patientId, row.laterality, row.view)}`;
      const group = groups.get(key) ?? { split: table.split, rows: [], tables: [] };
      group.rows.push(row);
      group.tables.push(name);
      groups.set(key, group);
    }
  }
  const images: TciaImagePlan[] = [];
  const planned = new Set<string>();
  for (const group of groups.values()) {
    const first = group.rows[0]!;
    const subject = `${first.patientId} ${first.laterality === 'L' ? 'LEFT' : 'RIGHT'} ${first.view}`;
    const named = group.rows.find((row) => row.imagePath)?.imagePath;
    if (!named) {
      errors.push({
        file: join(root, group.tables[0]!),
        reason: `${subject}: no image file path in its rows`,
      });
      continue;
    }
    const inCase = dicomFilesOfCase(root, named);
    const imageFile = resolveTciaPath(root, named) ?? (inCase.length === 1 ? inCase[0]! : null);
    if (!imageFile) {
      errors.push({
        file: join(root, named),
        reason: inCase.length
          ? `missing: the full mammogram of ${subject} (${group.tables[0]!}); its case folder holds ${inCase.length} DICOM files, not one`
          : `missing: the full mammogram of ${subject} (${group.tables[0]!}) is not under the folder`,
      });
      continue;
    }
    if (planned.has(imageFile)) {
      errors.push({ file: imageFile, reason: `named for more than one breast and view (${subject} too)` });
      continue;
    }
    planned.add(imageFile);
    const order = group.rows.map((row, index) => ({ row, table: group.tables[index]! }));
    order.sort((a, b) => a.row.abnormalityId - b.row.abnormalityId);
    images.push({
      imageFile,
      split: group.split,
      rows: order.map((o) => o.row),
      tables: order.map((o) => o.table),
    });
  }
  images.sort((a, b) => (a.imageFile < b.imageFile ? -1 : a.imageFile > b.imageFile ? 1 : 0));
  return { images, errors };
}
