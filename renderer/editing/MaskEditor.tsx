import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import {
  type AddedFinding,
  type Annotation,
  type AnnotationFindings,
  type FindingType,
} from '../../main/api/annotations.js';
import type { Image } from '../../main/api/domain.js';
import type { Finding, Prediction } from '../../main/api/predictions.js';
import { type ApiClient, ApiError } from '../api/ApiClient.js';
import { EDITOR_SHORTCUTS, commandForKey } from '../app/shortcuts.js';
import { ShortcutHelp } from '../app/ShortcutHelp.js';
import { OrientationMarkers } from '../viewer/OrientationMarkers.js';
import { readViewState, type ViewState } from '../viewer/viewState.js';
import { EDITING_DEFAULTS } from './constants.js';
import { EditHistory, applyMaskChange, diffMasks, type EditChange, type MaskChange } from './EditHistory.js';
import { editingDebug } from './EditingDebug.js';
import { FindingMarks } from './FindingMarks.js';
import type { EditTool, LabelmapSession } from './LabelmapSession.js';
import { countInside, decodeMaskPng, encodeMaskPng, maskAtThreshold } from './maskRaster.js';
import { claimPaintedPixels, pixelsTurnedOnBy } from './paintedPixels.js';
import { messageOf } from '../common/messageOf.js';
import { reapplyFindings, reapplyStrokes } from './reapplyDraft.js';
import { type SaveConflict, SaveConflictNotice } from './SaveConflictNotice.js';
import { loadReaderName, saveReaderName } from './readerName.js';
import { ShapeOverlay } from './ShapeOverlay.js';
import { addFindingAt, addOutlinedFinding, AddFindingTool } from './tools/AddFindingTool.js';
import type { Edit, EditingState } from './tools/EditorTool.js';
import { fillOutline } from './tools/FillTool.js';
import { decideFinding } from './tools/RejectFinding.js';
import { type AiMask, removeAddedFinding } from './tools/RemoveAddedFinding.js';
import { EDITOR_TOOLS, keyOfCommand } from './tools/toolbar.js';
import { VersionList } from './VersionList.js';
import { AiFindingsPanel } from './AiFindingsPanel.js';
import { MissedFindingsPanel } from './MissedFindingsPanel.js';
import { useDraftAutosave } from './useDraftAutosave.js';
import { type EditBase, type EditorStart, NO_FINDINGS, useEditorStart } from './useEditorStart.js';
import { useEditorViewport } from './useEditorViewport.js';
import './editing.css';

export interface MaskEditorProps {
  client: ApiClient;
  studyId: number;
  imageId: number;
  /** The AI mask's threshold (the viewer's); the prediction's finding threshold when absent. */
  threshold?: number;
  /** The reading view's zoom, centre and invert, kept when the editor opens. */
  view?: ViewState;
  onClose(): void;
  /** Opens the Learning panel. */
  onLearning?(): void;
  /** Rendered in the toolbar (e.g. the "Next case" buttons). */
  toolbarExtras?: ReactNode;
}

/**
 * The correction editor for one image: the AI's mask at a threshold becomes a Cornerstone3D
 * labelmap edited with brush, eraser, threshold brush, freehand/polygon fill and rectangle
 * scissors; AI findings are accepted or rejected and missed ones added. Every change is undoable,
 * the draft autosaves, and Save records a new annotation version.
 */
export function MaskEditor({
  client,
  studyId,
  imageId,
  threshold: initialThreshold,
  view,
  onClose,
  onLearning,
  toolbarExtras,
}: MaskEditorProps): ReactNode {
  const elementRef = useRef<HTMLDivElement>(null);
  const [image, setImage] = useState<Image | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const [prediction, setPrediction] = useState<Prediction | null>(null);
  const [map, setMap] = useState<Uint8Array | null>(null);
  const [threshold, setThreshold] = useState<number | null>(null);
  const [findings, setFindingsState] = useState<AnnotationFindings>(NO_FINDINGS);
  const [tool, setToolState] = useState<EditTool>('brush');
  const [brushMm, setBrushMm] = useState<number>(EDITING_DEFAULTS.brushMm);
  const [range, setRange] = useState<[number, number]>([0, 255]);
  const [addType, setAddType] = useState<FindingType>(AddFindingTool.defaults.type);
  const [painted, setPainted] = useState(0);
  const [depths, setDepths] = useState({ undo: 0, redo: 0 });
  const [ready, setReady] = useState(false);
  const [versions, setVersions] = useState<Annotation[]>([]);
  const [reader, setReader] = useState(loadReaderName);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<SaveConflict | null>(null);
  const { session, orientation, cameraVersion } = useEditorViewport({
    client,
    image,
    element: elementRef,
    view,
    onError: setError,
    onEnd: () => setReady(false),
  });

  const history = useRef(new EditHistory());
  const snapshot = useRef<Uint8Array>(new Uint8Array(0));
  const findingsRef = useRef(findings);
  findingsRef.current = findings;
  const latest = useRef({ prediction, threshold, session });
  latest.current = { prediction, threshold, session };
  const readerRef = useRef(reader);
  readerRef.current = reader;
  /** The saved version this reader's strokes started from (0: none), its mask and findings. */
  const base = useRef<EditBase>({ version: 0, mask: new Uint8Array(0), findings: NO_FINDINGS });

  const refresh = useCallback(() => {
    setPainted(countInside(snapshot.current));
    setDepths({ undo: history.current.undoDepth, redo: history.current.redoDepth });
  }, []);

  const {
    state: draft,
    setState: setDraft,
    saves: draftSaves,
    owner: draftReader,
    schedule: scheduleAutosave,
    saveNow: saveDraftNow,
    cancel: cancelAutosave,
  } = useDraftAutosave({
    client,
    imageId,
    content: () => {
      const { session: s, prediction: p, threshold: t } = latest.current;
      return s
        ? {
            baseVersion: base.current.version,
            maskPng: encodeMaskPng({ columns: s.columns, rows: s.rows, data: snapshot.current }),
            findings: findingsRef.current,
            modelId: p?.modelId ?? null,
            threshold: t,
          }
        : null;
    },
    reader: () => readerRef.current,
    onError: setError,
  });

  /** Records a change that has already been applied. */
  const record = useCallback(
    (change: EditChange) => {
      history.current.push(change);
      refresh();
      scheduleAutosave();
    },
    [refresh, scheduleAutosave],
  );

  const changeFindings = useCallback(
    (next: AnnotationFindings, label: string, maskChange?: MaskChange) => {
      record({
        kind: 'findings',
        label,
        before: findingsRef.current,
        after: next,
        ...(maskChange ? { mask: maskChange } : {}),
      });
      findingsRef.current = next;
      setFindingsState(next);
    },
    [record],
  );

  /**
   * Records a mask change that has already been applied. Pixels it turned on that an added finding
   * painted (the reader had erased them since) become this change's: removing the finding keeps them.
   */
  const recordMask = useCallback(
    (change: MaskChange) => {
      const claimed =
        session &&
        claimPaintedPixels(findingsRef.current, pixelsTurnedOnBy(change), session.columns, session.rows);
      if (claimed) changeFindings(claimed, change.label, change);
      else record(change);
    },
    [session, record, changeFindings],
  );

  /** What a tool reads: the mask and the decisions as the page has them now. */
  const editingState = useCallback(
    (): EditingState | null =>
      session
        ? {
            columns: session.columns,
            rows: session.rows,
            mask: snapshot.current,
            findings: findingsRef.current,
          }
        : null,
    [session],
  );

  /** Applies a tool's edit (mask, findings or both) as one undoable step. */
  const applyEdit = useCallback(
    (edit: Edit | null) => {
      if (!edit || !session) return;
      const maskChange = edit.mask ? diffMasks(snapshot.current, edit.mask, edit.label) : null;
      if (edit.mask && maskChange) {
        session.write(edit.mask);
        snapshot.current = edit.mask.slice();
      }
      if (edit.findings) changeFindings(edit.findings, edit.label, maskChange ?? undefined);
      else if (maskChange) recordMask(maskChange);
    },
    [session, changeFindings, recordMask],
  );

  /** Replaces the whole mask as one undoable change. */
  const replaceMask = useCallback(
    (mask: Uint8Array, label: string) => applyEdit({ label, mask }),
    [applyEdit],
  );

  const step = useCallback(
    (direction: 'undo' | 'redo') => {
      if (!session) return;
      const change = direction === 'undo' ? history.current.undo() : history.current.redo();
      if (!change) return;
      const side = direction === 'undo' ? 'before' : 'after';
      const maskChange = change.kind === 'mask' ? change : change.mask;
      if (maskChange) {
        const mask = snapshot.current.slice();
        applyMaskChange(mask, maskChange, side);
        session.write(mask);
        snapshot.current = mask;
      }
      if (change.kind === 'findings') {
        findingsRef.current = change[side];
        setFindingsState(change[side]);
      }
      setMessage(`${direction === 'undo' ? 'Undid' : 'Redid'}: ${change.label}`);
      refresh();
      scheduleAutosave();
    },
    [session, refresh, scheduleAutosave],
  );

  // The image's record.
  useEffect(() => {
    let cancelled = false;
    client.getStudy({ studyId }).then(
      (detail) => {
        if (cancelled) return;
        const found = detail.images.find((candidate) => candidate.id === imageId) ?? null;
        setImage(found);
        if (!found) setError(`image ${imageId} is not in study ${studyId}`);
      },
      (thrown: unknown) => !cancelled && setError(messageOf(thrown)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, studyId, imageId]);

  // Start: the draft if there is one, else the newest version, else the AI mask at its threshold.
  const begin = useCallback(
    (start: EditorStart, started: LabelmapSession) => {
      setVersions(start.versions);
      setPrediction(start.analysed?.prediction ?? null);
      setMap(start.analysed?.map ?? null);
      base.current = start.base;
      if (start.draftReader !== undefined) draftReader.current = start.draftReader;
      if (start.conflict) setConflict(start.conflict);
      if (start.threshold !== undefined) setThreshold(start.threshold);
      if (start.findings) {
        findingsRef.current = start.findings;
        setFindingsState(start.findings);
      }
      if (start.draftReader !== undefined) setDraft('restored');
      if (start.message) setMessage(start.message);
      const scan = started.viewport.getCornerstoneImage();
      setRange([scan.minPixelValue, scan.maxPixelValue]);
      started.write(start.mask);
      snapshot.current = start.mask.slice();
      history.current.clear();
      refresh();
      setReady(true);
    },
    [draftReader, setDraft, refresh],
  );
  useEditorStart({
    client,
    imageId,
    session,
    reader: () => readerRef.current,
    initialThreshold,
    onStart: begin,
  });

  const latestTool = useRef<string>(tool);
  latestTool.current = EDITOR_TOOLS.find((t) => t.toolName === tool)?.label ?? tool;

  // Strokes of Cornerstone's tools become history entries.
  useEffect(() => {
    if (!session) return;
    return session.onEdited(() => {
      const current = session.read();
      if (toolRef.current === 'thresholdBrush') {
        const [lower, upper] = rangeRef.current;
        if (session.filterByIntensity(snapshot.current, current, lower, upper)) session.write(current);
      }
      const change = diffMasks(snapshot.current, current, latestTool.current);
      if (!change) return;
      snapshot.current = current;
      recordMask(change);
    });
  }, [session, recordMask]);

  useEffect(() => session?.setTool(tool), [session, tool]);
  useEffect(() => session?.setBrushMm(brushMm), [session, brushMm]);
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const toolRef = useRef(tool);
  toolRef.current = tool;

  // The test hook: the mask as the page has it.
  useEffect(() => {
    if (!session) return;
    return editingDebug().register({
      imageId,
      columns: session.columns,
      rows: session.rows,
      maskPng: () => encodeMaskPng({ columns: session.columns, rows: session.rows, data: snapshot.current }),
      painted: () => countInside(snapshot.current),
    });
  }, [session, imageId]);

  const setTool = useCallback((next: EditTool) => setToolState(next), []);

  const save = useCallback(async () => {
    if (!session) return;
    const author = reader.trim();
    if (!author) {
      setError('Enter your name (Reader) before saving.');
      return;
    }
    cancelAutosave();
    setSaving(true);
    setError(null);
    try {
      const annotation = await client.saveAnnotation({
        imageId,
        maskPng: encodeMaskPng({ columns: session.columns, rows: session.rows, data: snapshot.current }),
        author,
        ...(prediction ? { modelId: prediction.modelId } : {}),
        ...(threshold !== null ? { threshold } : {}),
        ...(versions[0] ? { parentId: versions[0].id } : {}),
        baseVersion: base.current.version,
        findings: findingsRef.current,
      });
      base.current = {
        version: annotation.version,
        mask: snapshot.current.slice(),
        findings: findingsRef.current,
      };
      // The save ended the author's own draft; one autosaved under another name (or none) is ended here.
      if (draftReader.current !== null && draftReader.current !== author)
        await client.discardDraft({ imageId, reader: draftReader.current }).catch(() => null);
      draftReader.current = null;
      setConflict(null);
      setVersions(await client.listAnnotations({ imageId }));
      setDraft('none');
      setMessage(
        `Saved version ${annotation.version}` +
          (annotation.correctionDice === null
            ? ''
            : ` (correction Dice ${annotation.correctionDice.toFixed(3)})`),
      );
    } catch (thrown) {
      setError(`Not saved: ${messageOf(thrown)}`);
      if (thrown instanceof ApiError && thrown.status === 409) {
        // Another reader's version won: the strokes stay on screen and go to this reader's draft.
        await saveDraftNow();
        const list = await client.listAnnotations({ imageId }).catch(() => null);
        if (list?.[0]) setConflict({ version: list[0].version, author: list[0].author });
      }
    } finally {
      setSaving(false);
    }
  }, [
    client,
    session,
    imageId,
    reader,
    prediction,
    threshold,
    versions,
    cancelAutosave,
    draftReader,
    setDraft,
    saveDraftNow,
  ]);

  /** Replays this reader's strokes and finding changes on top of the newest version. */
  const reapply = useCallback(async () => {
    setSaving(true);
    try {
      const list = await client.listAnnotations({ imageId });
      const newest = list[0];
      if (!newest) return;
      const { maskPng } = await client.getAnnotationMask({ annotationId: newest.id });
      const theirs = decodeMaskPng(maskPng).data;
      const merged = reapplyStrokes(base.current.mask, snapshot.current, theirs);
      const findingsMerged = reapplyFindings(base.current.findings, findingsRef.current, newest.findings);
      base.current = { version: newest.version, mask: theirs, findings: newest.findings };
      const label = `reapply on top of version ${newest.version}`;
      replaceMask(merged, label);
      changeFindings(findingsMerged, label);
      setVersions(list);
      setConflict(null);
      setError(null);
      setMessage(
        `Your strokes are reapplied on top of version ${newest.version} by ${newest.author}: check and save`,
      );
    } catch (thrown) {
      setError(`Not reapplied: ${messageOf(thrown)}`);
    } finally {
      setSaving(false);
    }
  }, [client, imageId, replaceMask, changeFindings]);

  const restore = useCallback(
    async (annotation: Annotation) => {
      const author = reader.trim();
      if (!author) {
        setError('Enter your name (Reader) before restoring.');
        return;
      }
      try {
        const restored = await client.restoreAnnotation({ annotationId: annotation.id, author });
        const { maskPng } = await client.getAnnotationMask({ annotationId: restored.id });
        base.current = {
          version: restored.version,
          mask: decodeMaskPng(maskPng).data,
          findings: restored.findings,
        };
        replaceMask(decodeMaskPng(maskPng).data, `restore version ${annotation.version}`);
        changeFindings(restored.findings, `restore version ${annotation.version}`);
        setVersions(await client.listAnnotations({ imageId }));
        setMessage(`Restored version ${annotation.version} as version ${restored.version}`);
      } catch (thrown) {
        setError(`Not restored: ${messageOf(thrown)}`);
      }
    },
    [client, imageId, reader, replaceMask, changeFindings],
  );

  const applyThreshold = useCallback(
    (value: number) => {
      setThreshold(value);
      if (map) replaceMask(maskAtThreshold(map, value), `AI mask at ${value.toFixed(2)}`);
    },
    [map, replaceMask],
  );

  /** The AI's map, findings and the mask's threshold, for deciding findings; null without an analysis. */
  const aiMask = useCallback(
    (): AiMask | null =>
      map && prediction
        ? {
            findings: prediction.findings,
            map,
            threshold: prediction.findingThreshold,
            maskThreshold: threshold ?? prediction.findingThreshold,
            pixelSpacingMm: image?.pixelSpacingMm ?? null,
          }
        : null,
    [map, prediction, threshold, image],
  );

  const decide = useCallback(
    (finding: Finding, decision: 'accepted' | 'rejected') => {
      const state = editingState();
      if (state) applyEdit(decideFinding(state, finding, decision, aiMask()));
    },
    [editingState, applyEdit, aiMask],
  );

  const removeAdded = useCallback(
    (index: number) => {
      const state = editingState();
      if (state) applyEdit(removeAddedFinding(state, index, aiMask()));
    },
    [editingState, applyEdit, aiMask],
  );

  const fillShape = useCallback(
    (vertices: [number, number][]) => {
      const state = editingState();
      if (state)
        applyEdit(fillOutline(state, vertices, tool === 'polygon' ? 'polygon fill' : 'freehand fill'));
    },
    [editingState, applyEdit, tool],
  );

  // Keys, from the shortcut registry: tools, brush size, undo/redo, save, help, back.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target;
      const typing =
        target instanceof HTMLInputElement ||
        target instanceof HTMLSelectElement ||
        target instanceof HTMLTextAreaElement;
      const command = commandForKey(EDITOR_SHORTCUTS, event);
      // Ctrl+S saves from anywhere, the reader name field included; other keys in a field stay the field's.
      if (!command || (typing && command !== 'save') || (command === 'close' && event.defaultPrevented))
        return;
      event.preventDefault();
      const chosen = EDITOR_TOOLS.find((t) => t.command === command);
      if (chosen) {
        setTool(chosen.toolName);
        return;
      }
      switch (command) {
        case 'save':
          void save();
          break;
        case 'undo':
        case 'redo':
          step(command);
          break;
        case 'brushSmaller':
        case 'brushLarger':
          setBrushMm((mm) => clampMm(command === 'brushSmaller' ? mm / 1.25 : mm * 1.25));
          break;
        case 'help':
          setShowHelp((shown) => !shown);
          break;
        case 'close':
          if (showHelp) setShowHelp(false);
          else onClose();
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, save, setTool, onClose, showHelp]);

  // `painted` changes with every stroke, so this reads the mask as it is now.
  const inMask = (added: AddedFinding): boolean =>
    painted > 0 &&
    session !== null &&
    snapshot.current[Math.round(added.centroidRow) * session.columns + Math.round(added.centroidColumn)] ===
      1;

  // Re-read on every camera change (cameraVersion), for the page's test hooks.
  const shownView = session && ready ? readViewState(session.viewport) : null;
  const shapeTool = tool === 'freehand' || tool === 'polygon' || tool === 'placeFinding' ? tool : null;
  const shown = prediction?.findings.slice(0, EDITING_DEFAULTS.findingsShown) ?? [];

  return (
    <section
      className="mask-editor"
      data-testid="mask-editor"
      data-image-id={imageId}
      data-ready={ready ? 'true' : 'false'}
      data-painted={painted}
      data-undo-depth={depths.undo}
      data-redo-depth={depths.redo}
      data-draft={draft}
      data-draft-saves={draftSaves}
      data-model-id={prediction?.modelId ?? ''}
      data-versions={versions.length}
      data-tool={tool}
      data-zoom={shownView ? shownView.zoom.toFixed(3) : ''}
      data-view-centre={shownView?.centre?.map((v) => v.toFixed(1)).join(',') ?? ''}
      data-invert={shownView?.invert ? 'true' : 'false'}
      data-camera={cameraVersion}
    >
      <header className="viewer-toolbar editor-toolbar">
        <button type="button" onClick={onClose} title="Back (Esc)">
          ◀ Back
        </button>
        <span className="viewer-title">
          Edit image {imageId}
          {image ? ` · ${image.laterality ?? ''}${image.view ?? ''} · ${image.columns}×${image.rows}` : ''}
        </span>
        <span className="toolbar-group" role="group" aria-label="Editing tool">
          {EDITOR_TOOLS.map(({ toolName: t, label, command }) => (
            <button
              key={t}
              type="button"
              aria-pressed={tool === t}
              onClick={() => setTool(t)}
              title={`${label} (${keyOfCommand(command)})`}
            >
              {label}
            </button>
          ))}
        </span>
        <label className="field">
          Brush mm
          <input
            type="number"
            aria-label="Brush radius (mm)"
            min={EDITING_DEFAULTS.brushMinMm}
            max={EDITING_DEFAULTS.brushMaxMm}
            step={0.5}
            value={brushMm}
            onChange={(event) => setBrushMm(clampMm(Number(event.target.value)))}
          />
        </label>
        {tool === 'thresholdBrush' && (
          <span className="toolbar-group" role="group" aria-label="Threshold brush range">
            <input
              type="number"
              aria-label="Threshold brush lower"
              value={range[0]}
              onChange={(event) => setRange([Number(event.target.value), range[1]])}
            />
            <input
              type="number"
              aria-label="Threshold brush upper"
              value={range[1]}
              onChange={(event) => setRange([range[0], Number(event.target.value)])}
            />
          </span>
        )}
        <button type="button" onClick={() => step('undo')} disabled={!depths.undo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button
          type="button"
          onClick={() => step('redo')}
          disabled={!depths.redo}
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
        <button
          type="button"
          onClick={() => session && replaceMask(new Uint8Array(session.columns * session.rows), 'clear')}
          disabled={!ready}
        >
          Clear mask
        </button>
        <button type="button" onClick={() => setShowHelp((shown) => !shown)} title="Shortcuts (?)">
          ?
        </button>
        {toolbarExtras}
        {onLearning && (
          <button type="button" onClick={onLearning}>
            Learning
          </button>
        )}
      </header>
      {error && (
        <div className="banner error" role="alert" onClick={() => setError(null)}>
          {error}
        </div>
      )}
      {conflict && <SaveConflictNotice conflict={conflict} busy={saving} onReapply={() => void reapply()} />}
      <div className="editor-body">
        <div className="editor-viewport">
          <div
            className="viewport-element"
            ref={elementRef}
            data-testid="editor-viewport"
            onContextMenu={(event) => event.preventDefault()}
          />
          <OrientationMarkers labels={orientation} />
          {session && ready && (
            <FindingMarks
              session={session}
              findings={shown}
              decisions={findings}
              cameraVersion={cameraVersion}
            />
          )}
          {session && ready && shapeTool && (
            <ShapeOverlay
              session={session}
              tool={shapeTool}
              onShape={fillShape}
              onPoint={(column, row) => {
                const state = editingState();
                if (state) applyEdit(addFindingAt(state, addType, column, row));
                setTool('brush');
              }}
              onOutline={(vertices) => {
                const state = editingState();
                if (state) applyEdit(addOutlinedFinding(state, addType, vertices));
                setTool('brush');
              }}
            />
          )}
          <div className="editor-readout" data-testid="editor-readout">
            {painted} px painted · {depths.undo} undo / {depths.redo} redo · draft {draft}
          </div>
        </div>
        <aside className="editor-side" aria-label="Correction">
          <AiFindingsPanel
            prediction={prediction}
            shown={shown}
            findings={findings}
            threshold={threshold}
            onThreshold={applyThreshold}
            onDecide={decide}
          />
          <MissedFindingsPanel
            added={findings.added}
            type={addType}
            pixelSpacingMm={image?.pixelSpacingMm ?? null}
            inMask={inMask}
            onType={setAddType}
            onPlace={() => setTool('placeFinding')}
            onRemove={removeAdded}
          />
          <section>
            <h3>Save</h3>
            <label className="field">
              Reader
              <input
                aria-label="Reader name"
                value={reader}
                onChange={(event) => {
                  setReader(event.target.value);
                  saveReaderName(event.target.value);
                }}
              />
            </label>
            <button
              type="button"
              className="primary"
              onClick={() => void save()}
              disabled={!ready || saving}
              title="Save a new version (Ctrl+S)"
            >
              {saving ? 'Saving…' : 'Save correction'}
            </button>
            {message && (
              <p className="editor-message" role="status" data-testid="editor-message">
                {message}
              </p>
            )}
          </section>
          <VersionList versions={versions} onRestore={(annotation) => void restore(annotation)} />
        </aside>
      </div>
      {showHelp && <ShortcutHelp first="Correction editor" />}
    </section>
  );
}

function clampMm(value: number): number {
  if (!Number.isFinite(value)) return EDITING_DEFAULTS.brushMm;
  return (
    Math.round(Math.min(EDITING_DEFAULTS.brushMaxMm, Math.max(EDITING_DEFAULTS.brushMinMm, value)) * 100) /
    100
  );
}
