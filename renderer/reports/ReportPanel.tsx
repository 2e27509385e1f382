import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  BIRADS_CATEGORIES,
  type BiRadsCategory,
  DENSITY_CATEGORIES,
  type DensityCategory,
  type Report,
  type ReportEdit,
  type ReportFinding,
} from '../../main/api/reports.js';
import type { ApiClient } from '../api/ApiClient.js';
import { loadReaderName, saveReaderName } from '../editing/readerName.js';
import { BIRADS_LABELS, DENSITY_LABELS, REPORT_DEFAULTS } from './constants.js';
import { DraftAutosave, type SaveStatus } from './DraftAutosave.js';
import { ExportPanel } from './ExportPanel.js';
import { PacsSendPanel } from './PacsSendPanel.js';
import { FindingsTable } from './FindingsTable.js';
import './reports.css';
import { messageOf } from '../common/messageOf.js';

export interface ReportPanelProps {
  client: ApiClient;
  studyId: number;
  onClose(): void;
}

/** What the form shows and edits. */
interface ReportForm {
  biRads: BiRadsCategory | null;
  density: DensityCategory | null;
  findings: ReportFinding[];
  impression: string;
  reader: string;
}

const formOf = (report: Report): ReportForm => ({
  biRads: report.biRads,
  density: report.density,
  findings: report.findings,
  impression: report.impression,
  reader: report.reader,
});

const STATUS_TEXT: Record<Report['status'], string> = {
  draft: 'Draft',
  final: 'Final',
  amended: 'Final, amended',
};

/**
 * The structured report of the open study, docked beside the images: BI-RADS, density, the
 * findings pre-filled by the back end, impression and reader. A draft saves itself as it is
 * edited; a final report is read-only and can be amended (a new version). Every export of the
 * study is started from here.
 */
export function ReportPanel({ client, studyId, onClose }: ReportPanelProps): ReactNode {
  const [versions, setVersions] = useState<Report[] | null>(null);
  const [shownId, setShownId] = useState<number | null>(null);
  const [form, setForm] = useState<ReportForm | null>(null);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>({ state: 'saved', report: null, error: null });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [readerName, setReaderName] = useState(loadReaderName);
  const [amendReason, setAmendReason] = useState<string | null>(null);
  const saver = useRef<DraftAutosave | null>(null);

  const shown = useMemo(
    () => versions?.find((report) => report.id === shownId) ?? versions?.[0] ?? null,
    [versions, shownId],
  );
  const editable = shown?.status === 'draft';

  /** Shows `report` (the newest version after a change) and keeps the version list current. */
  const show = useCallback(
    async (report: Report | null) => {
      const list = await client.listReports({ studyId });
      setVersions(list);
      setShownId(report?.id ?? list[0]?.id ?? null);
      const current = report ?? list[0] ?? null;
      setForm(current ? formOf(current) : null);
    },
    [client, studyId],
  );

  useEffect(() => {
    show(null).catch((e: unknown) => setError(messageOf(e)));
  }, [show]);

  // One autosave per draft shown; switching away or closing sends what is pending.
  const draftId = editable ? shown.id : null;
  useEffect(() => {
    if (draftId === null) return;
    const autosave = new DraftAutosave(
      (edit) => client.updateReport({ reportId: draftId, ...edit }),
      REPORT_DEFAULTS.autosaveMs,
      setSaveStatus,
    );
    saver.current = autosave;
    setSaveStatus(autosave.status);
    return () => {
      autosave.dispose();
      if (saver.current === autosave) saver.current = null;
    };
  }, [client, draftId]);

  const edit = (change: ReportEdit & Partial<ReportForm>): void => {
    setForm((current) => (current ? { ...current, ...change } : current));
    saver.current?.edit(change);
  };

  const act = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const start = (): Promise<void> =>
    act(async () => {
      saveReaderName(readerName);
      await show(await client.startReport({ studyId, reader: readerName.trim() }));
    });
  const finalize = (): Promise<void> =>
    act(async () => {
      if (!shown) return;
      await saver.current?.flush();
      await show(await client.finalizeReport({ reportId: shown.id }));
    });
  const amend = (): Promise<void> =>
    act(async () => {
      if (!shown || amendReason === null) return;
      const reader = readerName.trim() || shown.reader;
      const draft = await client.amendReport({ reportId: shown.id, reader, reason: amendReason });
      setAmendReason(null);
      await show(draft);
    });

  // Keys typed here are the panel's: the viewer's shortcuts don't fire, Escape closes.
  const onKeyDown = (event: KeyboardEvent): void => {
    event.stopPropagation();
    if (event.key === 'Escape') onClose();
  };

  const newest = versions?.[0] ?? null;
  return (
    <aside
      className="report-panel"
      aria-label="Report"
      data-testid="report-panel"
      data-loaded={versions !== null}
      data-report-status={shown?.status ?? 'none'}
      data-save-state={editable ? saveStatus.state : 'none'}
      onKeyDown={onKeyDown}
    >
      <header className="report-header">
        <h2>Report</h2>
        {shown && (
          <span data-testid="report-version">
            version {shown.version} · {STATUS_TEXT[shown.status]}
          </span>
        )}
        {versions && versions.length > 1 && (
          <select
            aria-label="Report version"
            value={shown?.id ?? ''}
            onChange={(event) => {
              const next = versions.find((r) => r.id === Number(event.target.value));
              if (!next) return;
              setShownId(next.id);
              setForm(formOf(next));
            }}
          >
            {versions.map((report) => (
              <option key={report.id} value={report.id}>
                v{report.version} {STATUS_TEXT[report.status]}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="report-close" onClick={onClose} title="Close the report (Esc)">
          ✕
        </button>
      </header>
      {error && (
        <div className="report-error" role="alert" data-testid="report-error">
          {error}
        </div>
      )}
      {versions === null ? (
        !error && <p className="report-empty">Loading the report…</p>
      ) : !shown || !form ? (
        <div className="report-start">
          <p>No report yet. A new draft is pre-filled with the findings you accepted or added.</p>
          <label className="report-field">
            Reader
            <input
              type="text"
              data-testid="report-start-reader"
              value={readerName}
              maxLength={200}
              onChange={(event) => setReaderName(event.target.value)}
            />
          </label>
          <button
            type="button"
            data-testid="report-start"
            disabled={busy || !readerName.trim()}
            onClick={() => void start()}
          >
            Start report
          </button>
        </div>
      ) : (
        <>
          <fieldset className="report-form" disabled={!editable || busy} data-testid="report-form">
            <label className="report-field">
              BI-RADS
              <select
                data-testid="report-birads"
                value={form.biRads ?? ''}
                onChange={(event) =>
                  edit({ biRads: event.target.value ? (event.target.value as BiRadsCategory) : null })
                }
              >
                <option value="">– not set –</option>
                {BIRADS_CATEGORIES.map((category) => (
                  <option key={category} value={category}>
                    {BIRADS_LABELS[category]}
                  </option>
                ))}
              </select>
            </label>
            <label className="report-field">
              Density
              <select
                data-testid="report-density"
                value={form.density ?? ''}
                onChange={(event) =>
                  edit({ density: event.target.value ? (event.target.value as DensityCategory) : null })
                }
              >
                <option value="">– not set –</option>
                {DENSITY_CATEGORIES.map((category) => (
                  <option key={category} value={category}>
                    {DENSITY_LABELS[category]}
                  </option>
                ))}
              </select>
            </label>
            <h3>Findings</h3>
            <FindingsTable
              findings={form.findings}
              readOnly={!editable}
              onChange={(findings) => edit({ findings })}
            />
            <label className="report-field report-field-block">
              Impression
              <textarea
                data-testid="report-impression"
                rows={4}
                maxLength={20_000}
                value={form.impression}
                onChange={(event) => edit({ impression: event.target.value })}
              />
            </label>
            <label className="report-field">
              Reader
              <input
                type="text"
                data-testid="report-reader"
                maxLength={200}
                value={form.reader}
                onChange={(event) => {
                  setForm((current) => (current ? { ...current, reader: event.target.value } : current));
                  // The back end refuses an empty reader; keep the last name until one is typed.
                  if (event.target.value.trim()) saver.current?.edit({ reader: event.target.value.trim() });
                }}
              />
            </label>
          </fieldset>
          <div className="report-actions">
            {editable ? (
              <>
                <span className="report-save" data-testid="report-save-state">
                  {
                    {
                      saved: 'All changes saved',
                      pending: 'Unsaved changes…',
                      saving: 'Saving…',
                      error: `Not saved: ${saveStatus.error ?? ''}`,
                    }[saveStatus.state]
                  }
                </span>
                <button
                  type="button"
                  data-testid="report-finalize"
                  disabled={busy || !form.biRads || !form.reader.trim()}
                  title={
                    !form.biRads || !form.reader.trim()
                      ? 'Set the BI-RADS assessment and the reader first'
                      : 'Sign the report; it becomes read-only'
                  }
                  onClick={() => void finalize()}
                >
                  Finalize
                </button>
              </>
            ) : shown.id === newest?.id && shown.status === 'final' ? (
              amendReason === null ? (
                <button
                  type="button"
                  data-testid="report-amend"
                  disabled={busy}
                  title="Start a new version of this final report"
                  onClick={() => setAmendReason('')}
                >
                  Amend…
                </button>
              ) : (
                <>
                  <label className="report-field">
                    Reason
                    <input
                      type="text"
                      data-testid="report-amend-reason"
                      maxLength={2000}
                      value={amendReason}
                      onChange={(event) => setAmendReason(event.target.value)}
                    />
                  </label>
                  <button
                    type="button"
                    data-testid="report-amend-start"
                    disabled={busy || !amendReason.trim()}
                    onClick={() => void amend()}
                  >
                    Start amendment
                  </button>
                  <button type="button" onClick={() => setAmendReason(null)}>
                    Cancel
                  </button>
                </>
              )
            ) : (
              <span className="report-note">
                {shown.status === 'amended' ? 'Replaced by a later version.' : 'Read-only.'}
              </span>
            )}
            {shown.finalizedAt && (
              <span className="report-note">Signed {new Date(shown.finalizedAt).toLocaleString()}</span>
            )}
          </div>
        </>
      )}
      <ExportPanel
        client={client}
        studyId={studyId}
        beforeExport={async () => {
          await saver.current?.flush();
        }}
      />
      <p className="report-note">Exports use the newest report version; a draft is exported as a draft.</p>
      <PacsSendPanel
        client={client}
        studyId={studyId}
        beforeSend={async () => {
          await saver.current?.flush();
        }}
      />
    </aside>
  );
}
