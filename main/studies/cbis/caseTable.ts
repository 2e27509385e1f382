/**
 * The official CBIS-DDSM case table (`mass_case_description_{train,test}_set.csv`): one row per
 * abnormality, joined to its image on patient, side and view. Quoted fields may hold commas and
 * newlines (the ROI path column does), so it is read with a real CSV tokenizer.
 */
import type { Laterality } from '../../api/domain.js';

export type CbisView = 'CC' | 'MLO';

/** One abnormality as the case table describes it. */
export interface CbisCaseRow {
  /** `P_00001` as in the table. */
  patientId: string;
  laterality: Exclude<Laterality, 'B'>;
  view: CbisView;
  abnormalityId: number;
  abnormalityType: string;
  /** BI-RADS breast density 1-4. */
  breastDensity: number | null;
  massShape: string | null;
  massMargins: string | null;
  /** BI-RADS assessment 0-5. */
  assessment: number | null;
  /** MALIGNANT, BENIGN or BENIGN_WITHOUT_CALLBACK. */
  pathology: string;
  /** 1 (subtle) to 5 (obvious). */
  subtlety: number | null;
  /** The TCIA paths the row names (relative to the download folder). */
  imagePath: string | null;
  cropPath: string | null;
  roiMaskPath: string | null;
}

/** A case table that cannot be read at all. */
export class CaseTableError extends Error {
  override readonly name = 'CaseTableError';
}

const REQUIRED_COLUMNS = [
  'patient_id',
  'left or right breast',
  'image view',
  'abnormality id',
  'pathology',
] as const;

/** Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  record.push(field);
  if (record.some((f) => f !== '')) records.push(record);
  return records;
}

/** The key that joins a case row to its image: `P_00001_LEFT_CC`. */
export function caseKey(patientId: string, laterality: 'L' | 'R', view: CbisView): string {
  return `${patientId}_${laterality === 'L' ? 'LEFT' : 'RIGHT'}_${view}`;
}

/**
 * Parses the case table. Rows that cannot be read are returned as problems (one line each, naming
 * the row) rather than thrown, so one bad row refuses only its image.
 *
 * @throws CaseTableError when the header lacks a required column.
 */
export function parseCaseTable(text: string): { rows: CbisCaseRow[]; problems: string[] } {
  const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) throw new CaseTableError('the case table is empty');
  const columns = header.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length)
    throw new CaseTableError(`the case table has no column ${missing.map((m) => `"${m}"`).join(', ')}`);
  const at = (record: string[], name: string): string | null => {
    const index = columns.indexOf(name);
    const value = index < 0 ? undefined : record[index]?.trim();
    return value ? value : null;
  };
  const rows: CbisCaseRow[] = [];
  const problems: string[] = [];
  records.forEach((record, index) => {
    const line = `case table row ${index + 2}`;
    const patientId = at(record, 'patient_id');
    const side = at(record, 'left or right breast')?.toUpperCase();
    const view = at(record, 'image view')?.toUpperCase();
    const abnormalityId = Number(at(record, 'abnormality id'));
    const pathology = at(record, 'pathology')?.toUpperCase();
    if (!patientId || !/^P_\d+$/.test(patientId))
      return problems.push(`${line}: patient_id "${patientId ?? ''}" is not P_NNNNN`);
    if (side !== 'LEFT' && side !== 'RIGHT')
      return problems.push(`${line}: side "${side ?? ''}" is not LEFT or RIGHT`);
    if (view !== 'CC' && view !== 'MLO')
      return problems.push(`${line}: view "${view ?? ''}" is not CC or MLO`);
    if (!Number.isInteger(abnormalityId) || abnormalityId < 1)
      return problems.push(`${line}: abnormality id is not a positive integer`);
    if (!pathology) return problems.push(`${line}: no pathology`);
    rows.push({
      patientId,
      laterality: side === 'LEFT' ? 'L' : 'R',
      view,
      abnormalityId,
      abnormalityType: at(record, 'abnormality type') ?? 'mass',
      breastDensity: integerIn(at(record, 'breast_density') ?? at(record, 'breast density'), 1, 4),
      massShape: at(record, 'mass shape'),
      massMargins: at(record, 'mass margins'),
      assessment: integerIn(at(record, 'assessment'), 0, 6),
      pathology,
      subtlety: integerIn(at(record, 'subtlety'), 1, 5),
      imagePath: at(record, 'image file path'),
      cropPath: at(record, 'cropped image file path'),
      roiMaskPath: at(record, 'roi mask file path'),
    });
    return undefined;
  });
  return { rows, problems };
}

function integerIn(value: string | null, min: number, max: number): number | null {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** Rows grouped by {@link caseKey}, each group ordered by abnormality id. */
export function groupCaseRows(rows: readonly CbisCaseRow[]): Map<string, CbisCaseRow[]> {
  const byKey = new Map<string, CbisCaseRow[]>();
  for (const row of rows) {
    const key = caseKey(row.patientId, row.laterality, row.view);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  for (const group of byKey.values()) group.sort((a, b) => a.abnormalityId - b.abnormalityId);
  return byKey;
}
