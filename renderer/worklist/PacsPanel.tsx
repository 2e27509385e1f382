import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { API_EVENTS } from '../../main/api/contract.js';
import type {
  PacsNode,
  PacsQuery,
  PacsRetrieveProgress,
  PacsRetrieveResult,
  PacsStudy,
} from '../../main/api/pacs.js';
import { useApi, useApiEvent } from '../api/ApiContext.js';
import { PacsSettings } from './PacsSettings.js';
import { formatDicomDate, formatPersonName } from './studyTable.js';
import { messageOf } from '../common/messageOf.js';

export interface PacsPanelProps {
  onOpen(studyId: number): void;
}

interface Retrieval {
  studyInstanceUid: string;
  progress: PacsRetrieveProgress | null;
  result: PacsRetrieveResult | null;
  error: string | null;
}

/** YYYY-MM-DD (a date input) to YYYYMMDD (DICOM DA). */
const toDicomDate = (value: string): string | undefined => (value ? value.replaceAll('-', '') : undefined);

/** The modality choice that sends none, so the server searches breast imaging. */
const BREAST_SEARCH = 'breast';

/**
 * The PACS tab: search a node (QIDO-RS), retrieve a study into the workspace with its progress
 * and a cancel button, open it once it is here. Node settings behind a button.
 */
export function PacsPanel({ onOpen }: PacsPanelProps): ReactNode {
  const client = useApi();
  const [nodes, setNodes] = useState<PacsNode[]>([]);
  const [node, setNode] = useState('');
  const [showSettings, setShowSettings] = useState(false);
  const [form, setForm] = useState({
    patientName: '',
    patientId: '',
    accessionNumber: '',
    from: '',
    to: '',
    /** BREAST_SEARCH: the server's default, breast imaging (MG, and CR/DX/RG breast studies). */
    modality: BREAST_SEARCH,
  });
  const [searching, setSearching] = useState(false);
  const [studies, setStudies] = useState<PacsStudy[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [retrievals, setRetrievals] = useState<Record<string, Retrieval>>({});

  const loadNodes = useCallback(() => {
    client.listPacsNodes({}).then(
      (list) => {
        setNodes(list);
        setNode((current) => (list.some((n) => n.name === current) ? current : (list[0]?.name ?? '')));
        if (list.length === 0) setShowSettings(true);
      },
      (error: unknown) => setSearchError(messageOf(error)),
    );
  }, [client]);
  useEffect(loadNodes, [loadNodes]);

  useApiEvent(API_EVENTS.pacsRetrieveProgress, (progress) => {
    setRetrievals((all) => {
      const current = all[progress.studyInstanceUid];
      return current ? { ...all, [progress.studyInstanceUid]: { ...current, progress } } : all;
    });
  });

  const search = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (!node) return;
    setSearching(true);
    setSearchError(null);
    const query: PacsQuery = {
      node,
      ...(form.patientName.trim() ? { patientName: form.patientName.trim() } : {}),
      ...(form.patientId.trim() ? { patientId: form.patientId.trim() } : {}),
      ...(form.accessionNumber.trim() ? { accessionNumber: form.accessionNumber.trim() } : {}),
      ...(toDicomDate(form.from) ? { from: toDicomDate(form.from) } : {}),
      ...(toDicomDate(form.to) ? { to: toDicomDate(form.to) } : {}),
      ...(form.modality === BREAST_SEARCH ? {} : { modality: form.modality }),
    };
    try {
      setStudies(await client.queryPacs(query));
    } catch (error) {
      setStudies(null);
      setSearchError(messageOf(error));
    } finally {
      setSearching(false);
    }
  };

  const retrieve = async (study: PacsStudy): Promise<void> => {
    const uid = study.studyInstanceUid;
    setRetrievals((all) => ({
      ...all,
      [uid]: { studyInstanceUid: uid, progress: null, result: null, error: null },
    }));
    let update: Partial<Retrieval>;
    try {
      const result = await client.retrievePacsStudy({ node, studyInstanceUid: uid });
      update = { result };
      const localId = result.studies[0]?.id ?? null;
      setStudies(
        (list) =>
          list?.map((s) => (s.studyInstanceUid === uid ? { ...s, localStudyId: localId } : s)) ?? list,
      );
    } catch (error) {
      update = { error: messageOf(error) };
    }
    setRetrievals((all) => ({ ...all, [uid]: { ...all[uid]!, ...update } }));
  };

  const field = (key: keyof typeof form, label: string, type = 'text'): ReactNode => (
    <label>
      {label}
      <input
        type={type}
        name={key}
        value={form[key]}
        onChange={(event) => setForm((f) => ({ ...f, [key]: event.target.value }))}
      />
    </label>
  );

  return (
    <section className="pacs-panel" data-testid="pacs-panel">
      <form className="pacs-search" onSubmit={(event) => void search(event)}>
        <label>
          Node
          <select aria-label="PACS node" value={node} onChange={(event) => setNode(event.target.value)}>
            {nodes.map((n) => (
              <option key={n.name} value={n.name}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        {field('patientName', 'Patient name')}
        {field('patientId', 'Patient ID')}
        {field('accessionNumber', 'Accession')}
        {field('from', 'From', 'date')}
        {field('to', 'To', 'date')}
        <label>
          Modality
          <select
            value={form.modality}
            onChange={(event) => setForm((f) => ({ ...f, modality: event.target.value }))}
          >
            <option value={BREAST_SEARCH}>Breast imaging</option>
            <option value="MG">MG only</option>
            <option value="">any</option>
          </select>
        </label>
        <button type="submit" data-testid="pacs-search" disabled={!node || searching}>
          {searching ? 'Searching…' : 'Search'}
        </button>
        <button type="button" onClick={() => setShowSettings((s) => !s)} aria-expanded={showSettings}>
          Settings
        </button>
      </form>
      {showSettings && <PacsSettings nodes={nodes} onChanged={loadNodes} />}
      {searchError && (
        <div className="banner error" role="alert" data-testid="pacs-error">
          {searchError}
        </div>
      )}
      {studies && (
        <div className="table-scroll">
          <table className="study-table" data-testid="pacs-results" aria-label="PACS studies">
            <thead>
              <tr>
                <th>Patient</th>
                <th>Date</th>
                <th>Accession</th>
                <th>Description</th>
                <th>Modalities</th>
                <th>Instances</th>
                <th>Workspace</th>
              </tr>
            </thead>
            <tbody>
              {studies.map((study) => {
                const retrieval = retrievals[study.studyInstanceUid];
                const running = retrieval && !retrieval.result && !retrieval.error;
                return (
                  <tr
                    key={study.studyInstanceUid}
                    data-testid="pacs-study"
                    data-study-uid={study.studyInstanceUid}
                  >
                    <td>
                      <span className="patient-id">{study.patientId ?? '—'}</span>
                      {study.patientName ? (
                        <span className="patient-name"> {formatPersonName(study.patientName)}</span>
                      ) : null}
                    </td>
                    <td>{study.studyDate ? formatDicomDate(study.studyDate) : '—'}</td>
                    <td>{study.accessionNumber ?? '—'}</td>
                    <td>{study.description ?? ''}</td>
                    <td>{study.modalities.join(' ')}</td>
                    <td className="num">{study.numberOfInstances ?? '—'}</td>
                    <td className="pacs-actions">
                      {retrieval?.progress || running ? (
                        <span className="import-progress">
                          <progress
                            data-testid="pacs-retrieve-progress"
                            data-done={retrieval?.progress?.done ?? 0}
                            data-total={retrieval?.progress?.total ?? 0}
                            max={retrieval?.progress?.total || 1}
                            value={retrieval?.progress?.done ?? 0}
                          />
                          <span>
                            {retrieval?.progress
                              ? `${retrieval.progress.done} / ${retrieval.progress.total}`
                              : 'listing…'}
                          </span>
                        </span>
                      ) : null}
                      {running ? (
                        <button
                          type="button"
                          data-testid="pacs-cancel"
                          onClick={() =>
                            void client.cancelPacsRetrieve({ studyInstanceUid: study.studyInstanceUid })
                          }
                        >
                          Cancel
                        </button>
                      ) : (
                        <button
                          type="button"
                          data-testid="pacs-retrieve"
                          onClick={() => void retrieve(study)}
                        >
                          {study.localStudyId ? 'Retrieve missing' : 'Retrieve'}
                        </button>
                      )}
                      {study.localStudyId && !running ? (
                        <button
                          type="button"
                          data-testid="pacs-open"
                          onClick={() => onOpen(study.localStudyId!)}
                        >
                          Open
                        </button>
                      ) : null}
                      {retrieval?.result && (
                        <span className="pacs-result" role="status" data-testid="pacs-retrieve-result">
                          {retrieval.result.cancelled ? 'Cancelled: ' : ''}
                          {retrieval.result.imported} imported, {retrieval.result.skipped} already here
                          {retrieval.result.errors.length
                            ? `, ${retrieval.result.errors.length} refused`
                            : ''}
                        </span>
                      )}
                      {retrieval?.error && (
                        <span className="report-error" role="alert">
                          {retrieval.error}
                        </span>
                      )}
                      {retrieval?.result && retrieval.result.errors.length > 0 && (
                        <ul className="import-errors">
                          {retrieval.result.errors.map((error) => (
                            <li key={error.file}>{error.reason}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {studies.length === 0 && <div className="empty-list">No study on the PACS matches.</div>}
        </div>
      )}
    </section>
  );
}
