import { Enums as CoreEnums, RenderingEngine, type Types } from '@cornerstonejs/core';
import {
  Enums as ToolEnums,
  PanTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StudyDetail } from '../../main/api/domain.js';
import type { ApiClient } from '../api/ApiClient.js';
import type { StudyAnalysisService } from '../ai/StudyAnalysisService.js';
import { AiOverlay } from './ai/AiOverlay.js';
import { AiPanel } from './ai/AiPanel.js';
import { AiToolbarStatus } from './ai/AiToolbarStatus.js';
import { AiDisplayContext, useAiDisplay } from './ai/useAiDisplay.js';
import { ReferenceLayerButtons } from './layers/ReferenceLayerButtons.js';
import { ReferenceOverlay } from './layers/ReferenceOverlay.js';
import { ReferenceLayersContext } from './layers/referenceLayers.js';
import { useReferenceLayers } from './layers/useReferenceLayers.js';
import { initCornerstone } from './cornerstone.js';
import { WINDOW_PRESETS, type VoiRange } from './displayPresets.js';
import { hangStudy, type HangingCell } from './hanging.js';
import { hangViewport } from './hangViewport.js';
import { type ViewerCommand, VIEWER_SHORTCUTS, commandForKey } from '../app/shortcuts.js';
import { ShortcutHelp } from '../app/ShortcutHelp.js';
import { type ViewportOverlay, ViewportCell } from './ViewportCell.js';
import { readViewState, type ViewState } from './viewState.js';
import { formatDicomDate, formatPersonName } from '../worklist/studyTable.js';
import { messageOf } from '../common/messageOf.js';

type LeftTool = 'windowLevel' | 'pan' | 'zoom';

const TOOL_NAMES: Record<LeftTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
};
/** Buttons each tool keeps whatever the left button does: middle pans, right zooms. */
const DEFAULT_BINDINGS: Record<LeftTool, ToolEnums.MouseBindings[]> = {
  windowLevel: [],
  pan: [ToolEnums.MouseBindings.Auxiliary],
  zoom: [ToolEnums.MouseBindings.Secondary],
};

interface HungViewport {
  viewport: Types.IStackViewport;
  cell: HangingCell;
  flip: boolean;
  defaultVoi: VoiRange | null;
}

export interface StudyViewerProps {
  client: ApiClient;
  studyId: number;
  onClose(): void;
  /** Layers drawn over every image, above the AI overlay. */
  overlays?: readonly ViewportOverlay[];
  /** The AI analyses: with it, the study is analysed on opening and the AI display is shown. */
  ai?: StudyAnalysisService | null;
  /**
   * Extra toolbar controls for the active image (the correction editor's "Edit" plugs in here);
   * `view()` reads the active view's zoom, centre and invert at the moment it is called.
   */
  actions?(active: {
    image: NonNullable<HangingCell['image']>;
    aiThreshold: number | null;
    view(): ViewState | null;
  }): ReactNode;
  /** Opens or closes the study's report (the `B` key and a toolbar button; shown only when given). */
  onReport?(): void;
}

const NO_OVERLAYS: readonly ViewportOverlay[] = Object.freeze([]);

let nextViewerNumber = 1;

/** The reading view: a study's images in the mammography hanging, with window/level, zoom, pan and keys for everything. */
export function StudyViewer({
  client,
  studyId,
  onClose,
  overlays = NO_OVERLAYS,
  ai = null,
  actions,
  onReport,
}: StudyViewerProps): ReactNode {
  const [detail, setDetail] = useState<StudyDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [engine, setEngine] = useState<RenderingEngine | null>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [fullscreenKey, setFullscreenKey] = useState<string | null>(null);
  const [linked, setLinked] = useState(false);
  const [leftTool, setLeftTool] = useState<LeftTool>('windowLevel');
  const [showHelp, setShowHelp] = useState(false);
  const [renderedCount, setRenderedCount] = useState(0);
  const viewerId = useMemo(() => `mammo-viewer-${nextViewerNumber++}`, []);
  const hung = useRef(new Map<string, HungViewport>());
  const syncing = useRef(false);

  useEffect(() => {
    let cancelled = false;
    setDetail(null);
    setLoadError(null);
    client.getStudy({ studyId }).then(
      (value) => !cancelled && setDetail(value),
      (error: unknown) => !cancelled && setLoadError(messageOf(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, studyId]);

  // One rendering engine and tool group per open viewer.
  useEffect(() => {
    let created: RenderingEngine | null = null;
    let cancelled = false;
    void initCornerstone().then(() => {
      if (cancelled) return;
      created = new RenderingEngine(`${viewerId}-engine`);
      const group = ToolGroupManager.createToolGroup(`${viewerId}-tools`);
      if (group) for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
      setEngine(created);
    });
    return () => {
      cancelled = true;
      ToolGroupManager.destroyToolGroup(`${viewerId}-tools`);
      created?.destroy();
      setEngine(null);
    };
  }, [viewerId]);

  // Mouse bindings follow the chosen left-button tool.
  useEffect(() => {
    const group = engine ? ToolGroupManager.getToolGroup(`${viewerId}-tools`) : undefined;
    if (!group) return;
    for (const tool of Object.keys(TOOL_NAMES) as LeftTool[]) {
      group.setToolPassive(TOOL_NAMES[tool], { removeAllBindings: true });
    }
    for (const tool of Object.keys(TOOL_NAMES) as LeftTool[]) {
      const buttons = [
        ...DEFAULT_BINDINGS[tool],
        ...(tool === leftTool ? [ToolEnums.MouseBindings.Primary] : []),
      ];
      if (buttons.length)
        group.setToolActive(TOOL_NAMES[tool], { bindings: buttons.map((mouseButton) => ({ mouseButton })) });
    }
  }, [engine, leftTool, viewerId]);

  const hanging = useMemo(() => (detail ? hangStudy(detail.images) : null), [detail]);
  const cells = hanging?.cells ?? [];
  const current = activeKey ?? cells.find((cell) => cell.image)?.key ?? null;
  const activeImage = cells.find((cell) => cell.key === current)?.image ?? null;
  const viewLabels = useMemo(
    () => new Map(cells.flatMap((cell) => (cell.image ? [[cell.image.id, cell.name] as const] : []))),
    [cells],
  );
  const aiDisplay = useAiDisplay(ai, studyId, detail, viewLabels);
  const runAi = aiDisplay.run;
  const referenceLayers = useReferenceLayers(client, detail);
  const toggleLayer = referenceLayers.toggle;
  // The reference layers lie under the AI's marks, so a ground-truth ring never hides an AI label.
  const layers = useMemo(
    () => (ai ? [ReferenceOverlay, AiOverlay, ...overlays] : [ReferenceOverlay, ...overlays]),
    [ai, overlays],
  );

  useEffect(() => {
    if (detail) performance.mark('mammo:study-loaded');
  }, [detail]);

  const viewportIdOf = useCallback((cell: HangingCell) => `${viewerId}-${cell.key}`, [viewerId]);

  const onReady = useCallback(
    (cell: HangingCell, viewport: Types.IStackViewport, flip: boolean) => {
      const voi = viewport.getProperties().voiRange;
      hung.current.set(cell.key, {
        viewport,
        cell,
        flip,
        defaultVoi: voi ? { lower: voi.lower, upper: voi.upper } : null,
      });
      const group = ToolGroupManager.getToolGroup(`${viewerId}-tools`);
      group?.addViewport(viewport.id, viewport.getRenderingEngine().id);
    },
    [viewerId],
  );
  const onGone = useCallback(
    (cell: HangingCell) => {
      const entry = hung.current.get(cell.key);
      if (!entry) return;
      hung.current.delete(cell.key);
      ToolGroupManager.getToolGroup(`${viewerId}-tools`)?.removeViewports(
        entry.viewport.getRenderingEngine().id,
        entry.viewport.id,
      );
    },
    [viewerId],
  );
  const onFirstRender = useCallback(() => {
    setRenderedCount((count) => {
      if (count === 0) performance.mark('mammo:first-image');
      return count + 1;
    });
  }, []);
  useEffect(() => {
    const expected = cells.filter((cell) => cell.image).length;
    if (expected && renderedCount === expected) performance.mark('mammo:all-images');
  }, [renderedCount, cells]);

  // Linked zoom/pan: a camera change in one view is copied to the others, mirrored across the chest-wall line.
  useEffect(() => {
    if (!linked || !engine) return;
    const listeners: [HTMLDivElement, EventListener][] = [];
    for (const source of hung.current.values()) {
      const listener = (): void => {
        if (syncing.current) return;
        syncing.current = true;
        try {
          const zoom = source.viewport.getZoom();
          const [panX, panY] = source.viewport.getPan();
          for (const target of hung.current.values()) {
            if (target === source) continue;
            const mirrored = target.cell.align !== source.cell.align;
            target.viewport.setZoom(zoom);
            target.viewport.setPan([mirrored ? -panX : panX, panY]);
            target.viewport.render();
          }
        } finally {
          syncing.current = false;
        }
      };
      source.viewport.element.addEventListener(CoreEnums.Events.CAMERA_MODIFIED, listener);
      listeners.push([source.viewport.element, listener]);
    }
    return () => {
      for (const [element, listener] of listeners)
        element.removeEventListener(CoreEnums.Events.CAMERA_MODIFIED, listener);
    };
  }, [linked, engine, renderedCount]);

  const run = useCallback(
    (command: ViewerCommand) => {
      const active = current ? hung.current.get(current) : undefined;
      const targets = [...hung.current.values()];
      const applyPreset = (index: number): void => {
        const preset = WINDOW_PRESETS[index];
        if (!preset) return;
        for (const entry of targets) {
          const image = entry.viewport.getCornerstoneImage();
          if (!entry.defaultVoi || !image) continue;
          const pixelRange = { lower: image.minPixelValue, upper: image.maxPixelValue };
          entry.viewport.setProperties({ voiRange: preset.range(entry.defaultVoi, pixelRange) });
          entry.viewport.render();
        }
      };
      const moveActive = (dx: number, dy: number): void => {
        if (!hanging || !current) return;
        const index = cells.findIndex((cell) => cell.key === current);
        const row = Math.floor(index / hanging.columns) + dy;
        const column = (index % hanging.columns) + dx;
        if (row < 0 || column < 0 || row >= hanging.rows || column >= hanging.columns) return;
        const next = cells[row * hanging.columns + column];
        if (next?.image) setActiveKey(next.key);
      };
      switch (command) {
        case 'preset1':
        case 'preset2':
        case 'preset3':
        case 'preset4':
          applyPreset(Number(command.slice(-1)) - 1);
          break;
        case 'invert':
          if (active) {
            active.viewport.setProperties({ invert: !active.viewport.getProperties().invert });
            active.viewport.render();
          }
          break;
        case 'reset':
          for (const entry of targets) {
            entry.viewport.resetProperties();
            hangViewport(entry.viewport, entry.cell.align, entry.flip);
          }
          break;
        case 'fullscreen':
          setFullscreenKey((key) => (key ? null : current));
          break;
        case 'link':
          setLinked((value) => !value);
          break;
        case 'toolWindowLevel':
          setLeftTool('windowLevel');
          break;
        case 'toolPan':
          setLeftTool('pan');
          break;
        case 'toolZoom':
          setLeftTool('zoom');
          break;
        case 'zoomIn':
        case 'zoomOut':
          if (active) {
            active.viewport.setZoom(active.viewport.getZoom() * (command === 'zoomIn' ? 1.25 : 0.8));
            active.viewport.render();
          }
          break;
        case 'activeLeft':
          moveActive(-1, 0);
          break;
        case 'activeRight':
          moveActive(1, 0);
          break;
        case 'activeUp':
          moveActive(0, -1);
          break;
        case 'activeDown':
          moveActive(0, 1);
          break;
        case 'help':
          setShowHelp((value) => !value);
          break;
        case 'close':
          if (showHelp) setShowHelp(false);
          else if (fullscreenKey) setFullscreenKey(null);
          else onClose();
          break;
        case 'report':
          onReport?.();
          break;
        case 'layerGroundTruth':
          toggleLayer('groundTruth');
          break;
        case 'layerCorrections':
          toggleLayer('corrections');
          break;
        case 'aiToggle':
        case 'aiHeatmap':
        case 'aiOutline':
        case 'aiThresholdDown':
        case 'aiThresholdUp':
        case 'aiOpacityDown':
        case 'aiOpacityUp':
        case 'aiNextFinding':
          runAi(command);
          break;
      }
    },
    [current, cells, hanging, fullscreenKey, showHelp, onClose, runAi, onReport, toggleLayer],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (keyBelongsToControl(event.target, event.key)) return;
      const command = commandForKey(VIEWER_SHORTCUTS, event);
      if (!command) return;
      event.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const study = detail?.study;
  const title = study
    ? [
        study.patient.patientId,
        study.patient.name && formatPersonName(study.patient.name),
        study.studyDate && formatDicomDate(study.studyDate),
        study.description,
      ]
        .filter(Boolean)
        .join(' · ')
    : '…';
  return (
    <section className="study-viewer" data-testid="study-viewer" data-study-id={studyId}>
      <header className="viewer-toolbar">
        <button type="button" onClick={onClose} title="Back to the worklist (Esc)">
          ◀ Worklist
        </button>
        <span className="viewer-title" title={title}>
          {title}
        </span>
        <span className="toolbar-group" role="group" aria-label="Window presets">
          {WINDOW_PRESETS.map((preset, index) => (
            <button
              key={preset.key}
              type="button"
              title={`${preset.name} (${preset.key})`}
              onClick={() => run(`preset${index + 1}` as ViewerCommand)}
            >
              {preset.key}
            </button>
          ))}
        </span>
        <span className="toolbar-group" role="group" aria-label="Left mouse tool">
          {(['windowLevel', 'pan', 'zoom'] as const).map((tool) => (
            <button
              key={tool}
              type="button"
              aria-pressed={leftTool === tool}
              onClick={() => setLeftTool(tool)}
              title={{ windowLevel: 'Window/level (W)', pan: 'Pan (P)', zoom: 'Zoom (Z)' }[tool]}
            >
              {{ windowLevel: 'W/L', pan: 'Pan', zoom: 'Zoom' }[tool]}
            </button>
          ))}
        </span>
        <button type="button" onClick={() => run('invert')} title="Invert (I)">
          Invert
        </button>
        <button
          type="button"
          aria-pressed={linked}
          onClick={() => run('link')}
          title="Link zoom/pan (L)"
          data-testid="link-toggle"
        >
          Link
        </button>
        <button
          type="button"
          onClick={() => run('fullscreen')}
          aria-pressed={fullscreenKey !== null}
          title="Full-screen the active view (F)"
        >
          Full
        </button>
        <button type="button" onClick={() => run('reset')} title="Reset (R)">
          Reset
        </button>
        <button type="button" onClick={() => run('help')} title="Shortcuts (?)">
          ?
        </button>
        {onReport && (
          <button type="button" onClick={onReport} title="Report and exports (B)" data-testid="open-report">
            Report
          </button>
        )}
        <ReferenceLayerButtons layers={referenceLayers} />
        <AiToolbarStatus ai={ai ? aiDisplay : null} />
        {actions &&
          activeImage &&
          actions({
            image: activeImage,
            aiThreshold: ai ? aiDisplay.settings.threshold : null,
            view: () => {
              const active = current ? hung.current.get(current) : undefined;
              return active ? readViewState(active.viewport) : null;
            },
          })}
      </header>
      {loadError && (
        <div className="banner error" role="alert">
          {loadError}
        </div>
      )}
      <ReferenceLayersContext.Provider value={referenceLayers}>
        <AiDisplayContext.Provider value={ai ? aiDisplay : null}>
          <div className="viewer-body">
            {hanging && engine && (
              <div
                className="hanging-grid"
                data-testid="hanging-grid"
                data-layout={`${hanging.rows}x${hanging.columns}`}
                style={{
                  gridTemplateColumns: `repeat(${hanging.columns}, 1fr)`,
                  gridTemplateRows: `repeat(${hanging.rows}, 1fr)`,
                }}
              >
                {cells.map((cell) =>
                  cell.image ? (
                    <ViewportCell
                      key={cell.key}
                      engine={engine}
                      viewportId={viewportIdOf(cell)}
                      cell={{ ...cell, image: cell.image }}
                      imageUrl={client.imageUrl(cell.image.id)}
                      active={cell.key === current}
                      fullscreen={cell.key === fullscreenKey}
                      overlays={layers}
                      onActivate={() => setActiveKey(cell.key)}
                      onReady={(viewport, flip) => onReady(cell, viewport, flip)}
                      onGone={() => onGone(cell)}
                      onFirstRender={onFirstRender}
                    />
                  ) : (
                    <div
                      key={cell.key}
                      className="viewport-cell empty"
                      data-testid="viewport-empty"
                      data-view={cell.label}
                    >
                      <span>{cell.label}: not in this study</span>
                    </div>
                  ),
                )}
              </div>
            )}
            {hanging && cells.length === 0 && (
              <div className="banner">This study has no images for display.</div>
            )}
            {ai && <AiPanel ai={aiDisplay} viewLabels={viewLabels} />}
          </div>
        </AiDisplayContext.Provider>
      </ReferenceLayersContext.Provider>
      {showHelp && <ShortcutHelp first="Reading view" />}
    </section>
  );
}

/** Keys a focused form control uses itself; letters still reach the viewer from sliders and checkboxes. */
function keyBelongsToControl(target: EventTarget | null, key: string): boolean {
  if (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  if (target.type === 'range' || target.type === 'checkbox') return key.length !== 1 || key === ' ';
  return true;
}
