import { type ReactNode, useEffect, useLayoutEffect, useRef } from 'react';
import { shownFindings } from '../../ai/shownFindings.js';
import { matchBackingStore, useCanvasSize } from '../overlayCanvas.js';
import { viewerDebug } from '../ViewerDebug.js';
import type { ViewportOverlayProps } from '../ViewportCell.js';
import { drawOverlay, focusOnRegion, imageBoxOnCanvas } from './drawOverlay.js';
import { describeAgainstOperatingPoint, operatingPointSide } from './operatingPoint.js';
import { useAiDisplayContext } from './useAiDisplay.js';

const MAX_DRAW_TIMES = 200;

/**
 * The AI layer of one viewport: heatmap, outline and finding marks on a canvas re-projected on
 * every camera change, and a badge with the view's AI status. Render signals for tests:
 * `data-ai-state`, `data-ai-visible`, `data-ai-threshold`, `data-outline-pixels` and
 * `data-ai-draws` (count of draws with a map).
 */
export function AiOverlay({ image, viewport, cameraVersion }: ViewportOverlayProps): ReactNode {
  const ai = useAiDisplayContext();
  const layerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(canvasRef);
  const draws = useRef(0);
  const drawTimes = useRef<number[]>([]);

  const imageState = ai?.state?.images[image.id];
  const status = imageState?.status ?? (ai?.state?.status === 'unavailable' ? 'unavailable' : 'none');
  const map = imageState?.status === 'ready' ? imageState.map : null;
  const settings = ai?.settings;
  const level = ai?.level ?? 255;
  const view = map ? map.at(level) : null;
  // Marks are the API's findings (never a set recomputed here), capped per image.
  const prediction = imageState?.prediction ?? null;
  const threshold = settings?.threshold ?? 1;
  const aboveThreshold = map ? shownFindings(prediction, threshold, Infinity) : [];
  const marks = aboveThreshold.slice(0, settings?.marksPerImage ?? 0);
  const selectedIndex = ai?.selected?.imageId === image.id ? ai.selected.index : null;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !settings || !matchBackingStore(canvas, size)) return;
    const scene = map && view ? { map, view, marks, settings, selectedIndex } : null;
    const started = performance.now();
    if (drawOverlay(canvas, viewport, scene, size.dpr)) {
      const times = drawTimes.current;
      times.push(performance.now() - started);
      if (times.length > MAX_DRAW_TIMES) times.shift();
      draws.current++;
      layerRef.current?.setAttribute('data-ai-draws', String(draws.current));
      ai?.reportDrawn(image.id);
    }
    // cameraVersion: the camera moved, so the same scene lands elsewhere.
    // marks: derived from prediction and settings, both listed.
  }, [ai, image.id, viewport, map, view, prediction, settings, selectedIndex, size, cameraVersion]);

  // A click in the findings list (or `N`) centres this view on the finding.
  const focus = ai?.focus;
  useEffect(() => {
    if (!focus || focus.imageId !== image.id || !map) return;
    const region = aboveThreshold.find((f) => f.index === focus.index);
    if (region) focusOnRegion(viewport, map.map.columns, map.map.rows, region);
    // Only a new request moves the camera (not a threshold change after it): keyed on seq alone.
  }, [focus?.seq]);

  const info = useRef({ status, settings, level, view, map, aboveThreshold, marks });
  info.current = { status, settings, level, view, map, aboveThreshold, marks };
  useEffect(
    () =>
      viewerDebug().ai.register(viewport.id, {
        info: () => {
          const {
            status: s,
            settings: st,
            level: l,
            view: v,
            map: m,
            aboveThreshold: f,
            marks: k,
          } = info.current;
          return {
            viewportId: viewport.id,
            imageId: image.id,
            status: s,
            visible: st?.visible ?? false,
            threshold: st?.threshold ?? 0,
            level: l,
            outlinePixels: v?.areaPixels ?? null,
            levels: m ? { ...m.levels } : null,
            histogram: m
              ? [...m.histogram].flatMap((count, lv) => (count ? [[lv, count] as [number, number]] : []))
              : null,
            findings: f.length,
            marks: k.map((finding) => finding.index),
            draws: draws.current,
            drawMs: [...drawTimes.current],
          };
        },
        canvas: () => canvasRef.current,
        imageBox: () => imageBoxOnCanvas(viewport),
      }),
    [viewport, image.id],
  );

  if (!ai || !settings) return null;
  const side = image.laterality === 'L' ? 'at-right' : 'at-left';
  const progress = imageState?.progress ?? 0;
  const imageScore = imageState?.prediction?.imageScore ?? null;
  const operatingPoint = ai.state?.model?.card.thresholds.image ?? null;
  const operatingSide = operatingPointSide(imageScore, operatingPoint);
  return (
    <div
      ref={layerRef}
      className="ai-layer"
      data-testid="ai-overlay"
      data-ai-state={status}
      data-ai-visible={settings.visible ? 'true' : 'false'}
      data-ai-threshold={settings.threshold.toFixed(2)}
      data-outline-pixels={view ? view.areaPixels : undefined}
    >
      <canvas ref={canvasRef} className="ai-canvas" hidden={!settings.visible} />
      {settings.visible && status !== 'none' && (
        <span
          className={`ai-badge ${side}`}
          data-testid="ai-badge"
          data-side={operatingSide ?? ''}
          title={
            status === 'ready'
              ? `Image score ${describeAgainstOperatingPoint(imageScore, operatingPoint)}`
              : ''
          }
        >
          {badgeText(status, progress, imageScore, operatingSide, aboveThreshold.length)}
        </span>
      )}
    </div>
  );
}

function badgeText(
  status: string,
  progress: number,
  score: number | null,
  operatingSide: 'above' | 'below' | null,
  findings: number,
): string {
  switch (status) {
    case 'queued':
      return 'AI queued';
    case 'analysing':
      return `AI ${Math.round(progress * 100)}%`;
    case 'loading':
      return 'AI loading map';
    case 'ready':
      return `AI ${score?.toFixed(2) ?? '—'}${operatingSide ? ` ${operatingSide} OP` : ''} · ${findings} finding${findings === 1 ? '' : 's'}`;
    case 'unavailable':
      return 'AI: no model';
    default:
      return 'AI error';
  }
}
