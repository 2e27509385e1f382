import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StudySummary } from '../../main/api/domain.js';
import { API_EVENTS } from '../../main/api/contract.js';
import { AiStudyStatus } from '../ai/AiStudyStatus.js';
import { useApi, useApiEvent } from '../api/ApiContext.js';
import { ImportPanel } from './ImportPanel.js';
import {
  DEFAULT_STUDY_SORT,
  type StudySortKey,
  filterStudies,
  formatDicomDate,
  formatPersonName,
  nextSort,
  selectionAfter,
  sortStudies,
} from './studyTable.js';
import { WORKLIST_SHORTCUTS, commandForKey } from '../app/shortcuts.js';
import { ShortcutHelp } from '../app/ShortcutHelp.js';
import { messageOf } from '../common/messageOf.js';

export interface WorklistProps {
  onOpen(studyId: number): void;
}

const COLUMNS: readonly { key: StudySortKey | null; title: string }[] = [
  { key: 'patient', title: 'Patient' },
  { key: 'date', title: 'Date' },
  { key: 'views', title: 'Views' },
  { key: 'images', title: 'Images' },
  { key: null, title: 'Modality' },
  { key: null, title: 'Description' },
  { key: null, title: 'Accession' },
  { key: null, title: 'AI' },
  { key: 'review', title: 'Review' },
  { key: 'imported', title: 'Imported' },
];

/** The list of studies: filter, sort, arrow keys to move, Enter to open; import above it. */
export function Worklist({ onOpen }: WorklistProps): ReactNode {
  const client = useApi();
  const [studies, setStudies] = useState<StudySummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState(DEFAULT_STUDY_SORT);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const refresh = useCallback(() => {
    client.listStudies({}).then(
      (list) => {
        setStudies(list);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(messageOf(error)),
    );
  }, [client]);
  useEffect(refresh, [refresh]);
  // Imports started elsewhere (Electron's File menu, another tab) end with a full progress event.
  useApiEvent(API_EVENTS.importProgress, (progress) => {
    if (progress.done === progress.total) refresh();
  });
  useEffect(() => tableRef.current?.focus(), []);
  const [showHelp, setShowHelp] = useState(false);
  // `/`, `?` and Escape work from anywhere on the page (not only from the table), unless the reader is typing.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent): void => {
      const target = event.target;
      const typing =
        target instanceof HTMLInputElement ||
        target instanceof HTMLSelectElement ||
        target instanceof HTMLTextAreaElement;
      if (typing || event.defaultPrevented) return;
      const command = commandForKey(WORKLIST_SHORTCUTS, event);
      if (command === 'focusFilter') filterRef.current?.focus();
      else if (command === 'help') setShowHelp((shown) => !shown);
      else if (command === 'close') setShowHelp(false);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rows = useMemo(() => sortStudies(filterStudies(studies, query), sort), [studies, query, sort]);
  const selectedIndex = Math.max(
    0,
    rows.findIndex((study) => study.id === selectedId),
  );
  const selected = rows[selectedIndex];

  useEffect(() => {
    tableRef.current?.querySelector('tr[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedIndex]);

  // The table's keys, from the shortcut registry (the page's own are handled above).
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>): void => {
    const command = commandForKey(WORKLIST_SHORTCUTS, event);
    if (!command || command === 'focusFilter' || command === 'help' || command === 'close') return;
    event.preventDefault();
    if (command === 'openSelected') {
      if (selected) onOpen(selected.id);
      return;
    }
    const next = selectionAfter(command, selectedIndex, rows.length);
    const study = next === null ? undefined : rows[next];
    if (study) setSelectedId(study.id);
  };

  return (
    <section className="worklist" data-testid="worklist">
      <div className="worklist-bar">
        <input
          ref={filterRef}
          type="search"
          aria-label="Filter studies"
          placeholder="Filter (/)"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === 'ArrowDown' || event.key === 'Escape') {
              event.preventDefault();
              tableRef.current?.focus();
            }
          }}
        />
        <span className="count" data-testid="study-count">
          {rows.length} of {studies.length} studies
        </span>
        <ImportPanel onImported={refresh} />
      </div>
      {loadError && (
        <div className="banner error" role="alert">
          {loadError}
        </div>
      )}
      <div className="table-scroll">
        <table
          ref={tableRef}
          className="study-table"
          tabIndex={0}
          onKeyDown={onKeyDown}
          aria-label="Studies"
          data-testid="study-table"
        >
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th
                  key={column.title}
                  aria-sort={
                    column.key && sort.key === column.key
                      ? sort.direction === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : undefined
                  }
                  onClick={
                    column.key
                      ? () => setSort((current) => nextSort(current, column.key as StudySortKey))
                      : undefined
                  }
                  className={column.key ? 'sortable' : undefined}
                >
                  {column.title}
                  {column.key && sort.key === column.key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((study) => (
              <tr
                key={study.id}
                data-testid="study-row"
                data-study-id={study.id}
                data-patient-id={study.patientId}
                aria-selected={study.id === selected?.id}
                onClick={() => setSelectedId(study.id)}
                onDoubleClick={() => onOpen(study.id)}
              >
                <td>
                  <span className="patient-id">{study.patientId}</span>
                  {study.patientName ? (
                    <span className="patient-name" title={study.patientName}>
                      {' '}
                      {formatPersonName(study.patientName)}
                    </span>
                  ) : null}
                </td>
                <td title={study.studyDate ?? ''}>{formatDicomDate(study.studyDate) || '—'}</td>
                <td className="views">{study.views.join(' ') || '—'}</td>
                <td className="num">{study.imageCount}</td>
                <td className="modality">{study.modalities.join(' ') || '—'}</td>
                <td className="description">{study.description ?? '—'}</td>
                <td className="accession">{study.accessionNumber ?? '—'}</td>
                <td className="ai">
                  <AiStudyStatus
                    studyId={study.id}
                    storedScore={study.aiScore}
                    storedOperatingPoint={study.aiOperatingPoint}
                  />
                </td>
                <td className="review" data-review={study.review}>
                  {study.review}
                </td>
                <td className="imported">{study.importedAt.slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !loadError && (
          <div className="empty-list">
            {studies.length
              ? 'No study matches the filter.'
              : 'No studies yet: import a file or folder above.'}
          </div>
        )}
      </div>
      {showHelp && <ShortcutHelp first="Worklist" />}
    </section>
  );
}
