import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { API_EVENTS } from '../../main/api/contract.js';
import type { ImportFormat, ImportProgress, ImportResult } from '../../main/api/importing.js';
import type { ImportDialogKind } from '../../electron/bridge.js';
import { useApi, useApiEvent } from '../api/ApiContext.js';
import type { LocalSelection } from '../api/ApiTransport.js';
import { readDrop, readFileInput } from './readLocalFiles.js';
import { ImportSummary } from './ImportSummary.js';
import { messageOf } from '../common/messageOf.js';

export interface ImportPanelProps {
  onImported(result: ImportResult): void;
}

/** Files sent to the server so far, while a browser import uploads them. */
interface UploadProgress {
  done: number;
  total: number;
}

/**
 * Import three ways, all through the back end's one import (progress events, per-file errors):
 * files or folders dropped anywhere on the worklist or picked (uploaded to the server in browser
 * mode, imported where they are in Electron, whose pickers are the native dialog), or a path typed
 * as it is on the machine that runs the back end.
 */
export function ImportPanel({ onImported }: ImportPanelProps): ReactNode {
  const client = useApi();
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<ImportFormat>('dicom');
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const busyRef = useRef(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useApiEvent(API_EVENTS.importProgress, (payload) => {
    if (busy) setProgress(payload);
  });

  const run = async (work: () => Promise<ImportResult>): Promise<void> => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setUpload(null);
    setProgress(null);
    setResult(null);
    setFailure(null);
    try {
      const outcome = await work();
      setResult(outcome);
      onImported(outcome);
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const importSelection = (selection: Promise<LocalSelection> | LocalSelection): Promise<void> =>
    run(async () => {
      const chosen = await selection;
      if (!chosen.files.length && !chosen.roots.length) throw new Error('nothing to import was dropped');
      return client.importLocalFiles(chosen, format, (done, total) => setUpload({ done, total }));
    });

  // A drop anywhere on the worklist imports; the browser must not open the dropped file instead.
  const importRef = useRef(importSelection);
  importRef.current = importSelection;
  useEffect(() => {
    const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;
    const onDragOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = busyRef.current ? 'none' : 'copy';
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent): void => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent): void => {
      if (!event.dataTransfer || !carriesFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      if (!busyRef.current) void importRef.current(readDrop(event.dataTransfer));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  const choose = async (kind: ImportDialogKind): Promise<void> => {
    const nativeDialog = client.chooseImportPaths;
    if (!nativeDialog) {
      (kind === 'files' ? filesInput : folderInput).current?.click();
      return;
    }
    let paths: string[];
    try {
      paths = await nativeDialog(kind);
    } catch (error) {
      setFailure(messageOf(error));
      return;
    }
    if (paths.length) await run(() => client.importFiles({ paths, format }));
  };

  const onPicked = (input: HTMLInputElement): void => {
    if (input.files?.length) void importSelection(readFileInput(input.files));
    input.value = '';
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const paths = path
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (paths.length) void run(() => client.importFiles({ paths, format }));
  };

  const uploading = busy && upload !== null && upload.done < upload.total && !progress;
  const fraction = uploading
    ? upload.done / upload.total
    : progress && progress.total
      ? progress.done / progress.total
      : 0;
  return (
    <form className="import-panel" data-testid="import-panel" onSubmit={submit}>
      {dragging && (
        <div className="import-drop-overlay" data-testid="import-drop-overlay" aria-hidden>
          Drop DICOM files or folders to import them{format === 'mias' ? ' as mini-MIAS' : ''}
        </div>
      )}
      <button type="button" disabled={busy} onClick={() => void choose('files')}>
        Files…
      </button>
      <button type="button" disabled={busy} onClick={() => void choose('folder')}>
        Folder…
      </button>
      <input
        ref={filesInput}
        type="file"
        multiple
        hidden
        aria-label="Choose files to import"
        onChange={(event) => onPicked(event.currentTarget)}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        aria-label="Choose a folder to import"
        // React knows no webkitdirectory prop: set as an attribute.
        {...{ webkitdirectory: '' }}
        onChange={(event) => onPicked(event.currentTarget)}
      />
      <input
        type="text"
        name="path"
        aria-label="File or folder to import"
        placeholder="…or drop files, or type a path on the server"
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
      {busy && (
        <div className="import-progress">
          <progress data-testid="import-progress" max={1} value={fraction} />
          <span>
            {uploading
              ? `uploading ${upload.done} / ${upload.total}`
              : progress
                ? `${progress.done} / ${progress.total}`
                : 'scanning…'}
          </span>
        </div>
      )}
      {failure && (
        <div className="banner error" role="alert" data-testid="import-failure">
          Import failed: {failure}
        </div>
      )}
      {result && <ImportSummary result={result} />}
    </form>
  );
}
