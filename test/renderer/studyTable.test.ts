import { describe, expect, it } from 'vitest';
import type { StudySummary } from '../../main/api/domain.js';
import {
  filterStudies,
  formatDicomDate,
  formatPersonName,
  nextSort,
  selectionAfter,
  sortStudies,
} from '../../renderer/worklist/studyTable.js';

function study(id: number, patientId: string, studyDate: string | null, views: string[]): StudySummary {
  return {
    id,
    studyUid: `1.${id}`,
    patientId,
    patientName: null,
    studyDate,
    description: null,
    source: 'dicom',
    views,
    imageCount: views.length,
    importedAt: `2026-01-0${id}T00:00:00Z`,
    modalities: ['MG'],
    accessionNumber: null,
    review: 'unread',
    aiScore: null,
    aiOperatingPoint: null,
  };
}

const studies = [
  study(1, 'B-2', '20240101', ['LMLO', 'RMLO']),
  study(2, 'A-1', null, ['LCC']),
  study(3, 'C-3', '20230101', ['RCC']),
];

describe('worklist table', () => {
  it('filters on every word, case-insensitively, across patient and views', () => {
    expect(filterStudies(studies, 'rmlo').map((s) => s.id)).toEqual([1]);
    expect(filterStudies(studies, ' a-1  lcc ').map((s) => s.id)).toEqual([2]);
    expect(filterStudies(studies, '')).toHaveLength(3);
  });

  it('sorts by a column either way, with a stable tie-break', () => {
    expect(sortStudies(studies, { key: 'patient', direction: 'asc' }).map((s) => s.patientId)).toEqual([
      'A-1',
      'B-2',
      'C-3',
    ]);
    expect(sortStudies(studies, { key: 'date', direction: 'desc' }).map((s) => s.id)).toEqual([1, 3, 2]);
    expect(sortStudies(studies, { key: 'images', direction: 'asc' }).map((s) => s.id)).toEqual([2, 3, 1]);
  });

  it('flips the direction on a second click', () => {
    expect(nextSort({ key: 'patient', direction: 'asc' }, 'patient')).toEqual({
      key: 'patient',
      direction: 'desc',
    });
    expect(nextSort({ key: 'patient', direction: 'asc' }, 'date')).toEqual({
      key: 'date',
      direction: 'desc',
    });
  });
});

describe('worklist formatting', () => {
  it('writes DICOM person names (PS3.5 6.2.1) as "Family, Given"', () => {
    expect(formatPersonName('CompressedSamples^MG1')).toBe('CompressedSamples, MG1');
    expect(formatPersonName('Doe^Jane^Q^Dr^PhD')).toBe('Doe, Dr Jane Q PhD');
    expect(formatPersonName('Doe^^^^')).toBe('Doe');
    expect(formatPersonName('mdb001')).toBe('mdb001');
    expect(formatPersonName(null)).toBe('');
  });

  it('writes DICOM dates (DA) as YYYY-MM-DD', () => {
    expect(formatDicomDate('20040826')).toBe('2004-08-26');
    expect(formatDicomDate('2004')).toBe('2004');
    expect(formatDicomDate(null)).toBe('');
  });
});

describe('worklist keyboard selection', () => {
  it('moves by one, jumps to the ends, and stops there', () => {
    expect(selectionAfter('activeDown', 0, 4)).toBe(1);
    expect(selectionAfter('activeDown', 3, 4)).toBe(3);
    expect(selectionAfter('activeUp', 0, 4)).toBe(0);
    expect(selectionAfter('selectFirst', 2, 4)).toBe(0);
    expect(selectionAfter('selectLast', 0, 4)).toBe(3);
  });

  it('leaves the selection to other commands and to an empty list', () => {
    expect(selectionAfter('openSelected', 1, 4)).toBeNull();
    expect(selectionAfter('focusFilter', 1, 4)).toBeNull();
    expect(selectionAfter('activeDown', 0, 0)).toBeNull();
  });
});
