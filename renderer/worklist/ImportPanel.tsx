import { type FormEvent, type ReactNode, useState } from 'react';
import { API_EVENTS } from '../../main/api/contract.js';
import type { ImportFormat, ImportProgress, ImportResult } from '../../main/api/importing.js';
import { useApi, useApiEvent } from '../api/ApiContext.js';

export interface ImportPanelProps {
  onImported(result: ImportResult): void;
}

/**
 * Import by path: the path is read on the machine that runs the back end (in browser mode the
 * page can't hand a local folder to the server). Progress follows the import events.
 */
export function ImportPanel({ onImported }: ImportPanelProps): ReactNode {
  const client = useApi();
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<ImportFormat>('dicom');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useApiEvent(API_EVENTS.importProgress, (payload) => {
    if (busy) setProgress(payload);
  });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const paths = path
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (!paths.length || busy) return;
    setBusy(true);
    setProgress(null);
    setResult(null);
    setFailure(null);
    try {
      const outcome = await client.importFiles({ paths, format });
      setResult(outcome);
      onImported(outcome);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const fraction = progress && progress.total ? progress.done / progress.total : 0;
  return (
    <form className="import-panel" data-testid="import-panel" onSubmit={(event) => void submit(event)}>
      <input
        type="text"
        name="path"
        aria-label="File or folder to import"
        placeholder="File or folder on the workstation machine, e.g. /data/mammograms"
        value={path}
        onChange={(event) => setPath(event.target.value)}
        spellCheck={false}
      />
      <select
        aria-label="Format"
        value={format}
        onChange={(event) => setFormat(event.target.value as ImportFormat)}
      >
        <option value="dicom">DICOM</option>
        <option value="mias">mini-MIAS</option>
      </select>
      <button type="submit" disabled={busy || !path.trim()}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {(busy || progress) && (
        <div className="import-progress">
          <progress data-testid="import-progress" max={1} value={fraction} />
          <span>{progress ? `${progress.done} / ${progress.total}` : 'scanning…'}</span>
        </div>
      )}
      {result && (
        <div className="import-result" data-testid="import-result" role="status">
          Imported {result.imported}, already present {result.skipped}
          {result.errors.length ? `, ${result.errors.length} refused` : ''}.
        </div>
      )}
      {failure && (
        <div className="banner error" role="alert" data-testid="import-failure">
          Import failed: {failure}
        </div>
      )}
      {result && result.errors.length > 0 && (
        <ul className="import-errors" data-testid="import-errors" role="alert">
          {result.errors.map((error, index) => (
            <li key={index}>
              <span className="file">{error.file}</span>: {error.reason}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
