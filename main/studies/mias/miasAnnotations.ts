/**
 * The mini-MIAS case list, from either the original `Info.txt` (space separated) or the CSV with a
 * header row (refnum,tissue,class,severity,x,y,radius,...). Coordinates keep the MIAS convention:
 * x from the left, y from the BOTTOM.
 */
export interface MiasRecord {
  refnum: string;
  tissue: string | null;
  abnormalityClass: string;
  severity: 'B' | 'M' | null;
  /** Centre and radius in pixels; null for records with no centre (image-level only). */
  x: number | null;
  y: number | null;
  radius: number | null;
}

const REFNUM = /^mdb\d{3}$/;

/** Parses the case list; returns records grouped by reference number (mdbNNN). */
export function parseMiasAnnotations(text: string): Map<string, MiasRecord[]> {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const isCsv = lines[0]?.toLowerCase().startsWith('refnum,') ?? false;
  const byRefnum = new Map<string, MiasRecord[]>();
  for (const line of isCsv ? lines.slice(1) : lines) {
    const fields = isCsv ? line.split(',').map((f) => f.trim()) : line.split(/\s+/);
    const [refnum, tissue, abnormalityClass, severity, x, y, radius] = fields;
    if (!refnum || !REFNUM.test(refnum) || !abnormalityClass) continue; // Info.txt prose lines
    const record: MiasRecord = {
      refnum,
      tissue: tissue || null,
      abnormalityClass: abnormalityClass.toUpperCase(),
      severity: severity === 'B' || severity === 'M' ? severity : null,
      x: toNumber(x),
      y: toNumber(y),
      radius: toNumber(radius),
    };
    if (record.x === null || record.y === null || record.radius === null) {
      record.x = record.y = record.radius = null;
    }
    const list = byRefnum.get(refnum) ?? [];
    list.push(record);
    byRefnum.set(refnum, list);
  }
  return byRefnum;
}

function toNumber(field: string | undefined): number | null {
  if (field === undefined || field === '' || field === '*') return null;
  const value = Number(field);
  return Number.isFinite(value) ? value : null;
}
