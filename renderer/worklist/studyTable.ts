/** Sorting, filtering and keyboard selection of the worklist; pure, so it is unit-tested without a browser. */
import type { StudySummary } from '../../main/api/domain.js';
import type { WorklistCommand } from '../app/shortcuts.js';

export type StudySortKey = 'patient' | 'date' | 'views' | 'images' | 'review' | 'imported';

export interface StudySort {
  key: StudySortKey;
  direction: 'asc' | 'desc';
}

export const DEFAULT_STUDY_SORT: StudySort = { key: 'imported', direction: 'desc' };

/** Case-insensitive match on patient id and name, date, description and views ("rmlo"). */
export function filterStudies(studies: readonly StudySummary[], query: string): StudySummary[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...studies];
  return studies.filter((study) => {
    const text = [
      study.patientId,
      study.patientName,
      study.studyDate,
      study.description,
      study.source,
      study.accessionNumber,
      study.review,
      ...study.modalities,
      ...study.views,
    ]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

function sortValue(study: StudySummary, key: StudySortKey): string | number {
  switch (key) {
    case 'patient':
      return `${study.patientName ?? ''}\u0000${study.patientId}`.toLowerCase();
    case 'date':
      return study.studyDate ?? '';
    case 'views':
      return study.views.join(',');
    case 'images':
      return study.imageCount;
    case 'review':
      return study.review;
    case 'imported':
      return study.importedAt;
  }
}

/** Stable sort by one column; ties fall back to the study id so the order never jumps. */
export function sortStudies(studies: readonly StudySummary[], sort: StudySort): StudySummary[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...studies].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * sign || a.id - b.id;
  });
}

/** Clicking a header: a new column sorts ascending, the same column flips direction. */
export function nextSort(current: StudySort, key: StudySortKey): StudySort {
  if (current.key !== key) return { key, direction: key === 'imported' || key === 'date' ? 'desc' : 'asc' };
  return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
}

/**
 * A DICOM person name (PS3.5 6.2.1, `Family^Given^Middle^Prefix^Suffix`) as people write it:
 * "Family, Given Middle". Empty components are dropped; a name without `^` is kept as it is.
 */
export function formatPersonName(name: string | null): string {
  if (!name) return '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = name.split('=')[0]!.split('^');
  const rest = [prefix, given, middle].filter(Boolean).join(' ');
  const main = [family, rest].filter(Boolean).join(', ');
  return [main, suffix].filter(Boolean).join(' ').trim();
}

/** A DICOM date (DA, `YYYYMMDD`) as ISO `YYYY-MM-DD`; anything else is shown unchanged. */
export function formatDicomDate(date: string | null): string {
  if (!date) return '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : date;
}

/**
 * Where a worklist key moves the selection among `count` rows from `index`: the row to select, or
 * null for a command that does not move it. The ends hold (no wrapping).
 */
export function selectionAfter(command: WorklistCommand, index: number, count: number): number | null {
  if (!count) return null;
  const clamp = (value: number): number => Math.min(count - 1, Math.max(0, value));
  switch (command) {
    case 'activeDown':
      return clamp(index + 1);
    case 'activeUp':
      return clamp(index - 1);
    case 'selectFirst':
      return 0;
    case 'selectLast':
      return count - 1;
    default:
      return null;
  }
}
