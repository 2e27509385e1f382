/**
 * Drawing the AI overlay of one viewport: the heatmap, the outline at the threshold and the
 * finding marks, all placed through the viewport's camera (see {@link mapTransform}); and moving
 * the camera onto a finding.
 */
import type { Types } from '@cornerstonejs/core';
import type { Box } from '../../common/debugProbeTypes.js';
import { FOCUS_FILL, FOCUS_ZOOM_RANGE, OUTLINE_COLOUR, SELECTED_COLOUR } from '../../ai/constants.js';
import {
  type Affine,
  affineFromCorners,
  affineScale,
  applyAffine,
  boundsOnCanvas,
  scaleAffine,
} from '../../ai/mapGeometry.js';
import type { LevelView, PreparedMap } from '../../ai/PreparedMap.js';
import type { MapRegion } from '../../ai/probabilityMap.js';
import { cornerTextAreas, placeLabels } from './labelPlacement.js';
import type { AiDisplaySettings } from './useAiDisplay.js';

/** Height of a mark's label box (11 px text and its shadow). */
const LABEL_HEIGHT = 13;

export interface OverlayScene {
  map: PreparedMap;
  view: LevelView;
  /** The API's findings to mark, strongest first, already capped per image. */
  marks: readonly MapRegion[];
  settings: AiDisplaySettings;
  /** Index of the selected finding in this view, or null. */
  selectedIndex: number | null;
}

type IndexToWorld = (index: Types.Point3) => Types.Point3;

function imageGeometry(
  viewport: Types.IStackViewport,
): { toWorld: IndexToWorld; columns: number; rows: number } | null {
  const imageData = viewport.getImageData();
  const toWorld = imageData?.imageData.indexToWorld as IndexToWorld | undefined; // vtk.js closures: no `this`
  if (!imageData || !toWorld) return null;
  const [columns = 0, rows = 0] = imageData.dimensions;
  return columns && rows ? { toWorld, columns, rows } : null;
}

/**
 * Map pixel-edge coordinates (0..mapColumns, 0..mapRows) -> canvas CSS pixels. The map covers the
 * image's full extent, whatever its own resolution.
 */
export function mapTransform(
  viewport: Types.IStackViewport,
  mapColumns: number,
  mapRows: number,
): Affine | null {
  const geometry = imageGeometry(viewport);
  if (!geometry) return null;
  const { toWorld, columns, rows } = geometry;
  const corner = (i: number, j: number): Types.Point2 => viewport.worldToCanvas(toWorld([i, j, 0]));
  return affineFromCorners(
    corner(-0.5, -0.5),
    corner(columns - 0.5, -0.5),
    corner(-0.5, rows - 0.5),
    mapColumns,
    mapRows,
  );
}

/** Where the image lies on the canvas (CSS pixels). */
export function imageBoxOnCanvas(viewport: Types.IStackViewport): Box | null {
  const geometry = imageGeometry(viewport);
  if (!geometry) return null;
  const t = mapTransform(viewport, geometry.columns, geometry.rows);
  return t
    ? boundsOnCanvas(t, { top: 0, left: 0, bottom: geometry.rows - 1, right: geometry.columns - 1 })
    : null;
}

// Built once per map and per outline, dropped with them.
const heatmaps = new WeakMap<PreparedMap, { level: number; canvas: HTMLCanvasElement }>();
const outlinePaths = new WeakMap<Float32Array, Path2D>();

/** The map's heatmap from the threshold level up (recoloured when the threshold moves). */
function heatmapCanvas(map: PreparedMap, level: number): HTMLCanvasElement {
  const cached = heatmaps.get(map);
  const { columns, rows } = map.grid;
  const canvas = cached?.canvas ?? document.createElement('canvas');
  if (cached?.level !== level) {
    canvas.width = columns;
    canvas.height = rows;
    canvas.getContext('2d')?.putImageData(new ImageData(map.heatmapPixels(level), columns, rows), 0, 0);
    heatmaps.set(map, { level, canvas });
  }
  return canvas;
}

function outlinePath(segments: Float32Array): Path2D {
  let path = outlinePaths.get(segments);
  if (!path) {
    path = new Path2D();
    for (let i = 0; i < segments.length; i += 4) {
      path.moveTo(segments[i]!, segments[i + 1]!);
      path.lineTo(segments[i + 2]!, segments[i + 3]!);
    }
    outlinePaths.set(segments, path);
  }
  return path;
}

/**
 * Redraws the overlay canvas (sized in device pixels, `dpr` per CSS pixel). Returns true when a map
 * was drawn; a null scene or hidden display clears it.
 */
export function drawOverlay(
  canvas: HTMLCanvasElement,
  viewport: Types.IStackViewport,
  scene: OverlayScene | null,
  dpr: number,
): boolean {
  const context = canvas.getContext('2d');
  if (!context) return false;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!scene || !scene.settings.visible) return false;
  const { map, view, settings } = scene;
  const toCanvas = mapTransform(viewport, map.map.columns, map.map.rows);
  if (!toCanvas) return false;
  // Grid cells -> map pixels (a partial last cell is spread evenly) -> device pixels.
  const grid = map.grid;
  const fromGrid = scaleAffine(toCanvas, map.map.columns / grid.columns, map.map.rows / grid.rows, dpr);

  if (settings.heatmap && settings.opacity > 0) {
    context.save();
    context.globalAlpha = settings.opacity;
    context.imageSmoothingEnabled = affineScale(fromGrid) > 1;
    context.setTransform(fromGrid.a, fromGrid.b, fromGrid.c, fromGrid.d, fromGrid.e, fromGrid.f);
    context.drawImage(heatmapCanvas(map, view.level), 0, 0);
    context.restore();
  }

  if (settings.outline) {
    context.save();
    context.setTransform(fromGrid.a, fromGrid.b, fromGrid.c, fromGrid.d, fromGrid.e, fromGrid.f);
    context.lineWidth = (1.5 * dpr) / Math.max(1e-6, affineScale(fromGrid));
    context.strokeStyle = OUTLINE_COLOUR;
    context.stroke(outlinePath(view.outline));
    context.restore();
    drawMarks(context, toCanvas, scene.marks, scene.selectedIndex, dpr);
  }
  return true;
}

function drawMarks(
  context: CanvasRenderingContext2D,
  toCanvas: Affine,
  findings: readonly MapRegion[],
  selectedIndex: number | null,
  dpr: number,
): void {
  context.save();
  context.setTransform(dpr, 0, 0, dpr, 0, 0);
  context.font = '600 11px ui-monospace, monospace';
  context.textBaseline = 'bottom';
  context.shadowColor = '#000';
  context.shadowBlur = 3;
  const marked = [...findings];
  const width = context.canvas.width / dpr;
  const height = context.canvas.height / dpr;
  const centres = marked.map((finding) =>
    applyAffine(toCanvas, finding.centroidColumn + 0.5, finding.centroidRow + 0.5),
  );
  // A multi-member model's finding also says what its member looks for (mass, calcification).
  const texts = marked.map(
    (finding) =>
      `${finding.index} ${finding.maxProbability.toFixed(2)}${finding.source ? ` ${finding.source.role}` : ''}`,
  );
  const labels = placeLabels(
    marked.map((_, i) => ({
      x: centres[i]![0],
      y: centres[i]![1],
      width: context.measureText(texts[i]!).width + 2,
      height: LABEL_HEIGHT,
    })),
    { width, height },
    cornerTextAreas(width, height),
  );
  marked.forEach((finding, i) => {
    const isSelected = finding.index === selectedIndex;
    const colour = isSelected ? SELECTED_COLOUR : OUTLINE_COLOUR;
    const [x, y] = centres[i]!;
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = isSelected ? 2 : 1.25;
    context.beginPath();
    context.moveTo(x - 6, y);
    context.lineTo(x - 2, y);
    context.moveTo(x + 2, y);
    context.lineTo(x + 6, y);
    context.moveTo(x, y - 6);
    context.lineTo(x, y - 2);
    context.moveTo(x, y + 2);
    context.lineTo(x, y + 6);
    context.stroke();
    if (isSelected) {
      const box = boundsOnCanvas(toCanvas, finding.bounds);
      context.strokeRect(box.left - 2, box.top - 2, box.right - box.left + 4, box.bottom - box.top + 4);
    }
    const label = labels[i];
    if (label) context.fillText(texts[i]!, label.left + 1, label.bottom);
  });
  context.restore();
}

/** Zooms so the finding fills part of the view and centres it (linked views follow). */
export function focusOnRegion(
  viewport: Types.IStackViewport,
  mapColumns: number,
  mapRows: number,
  region: MapRegion,
): void {
  const geometry = imageGeometry(viewport);
  const toCanvas = mapTransform(viewport, mapColumns, mapRows);
  if (!geometry || !toCanvas) return;
  const box = boundsOnCanvas(toCanvas, region.bounds);
  const extent = Math.max(box.right - box.left, box.bottom - box.top, 1);
  const shorter = Math.min(viewport.canvas.clientWidth, viewport.canvas.clientHeight) || 1;
  const [low, high] = FOCUS_ZOOM_RANGE;
  viewport.setZoom(Math.min(high, Math.max(low, (viewport.getZoom() * FOCUS_FILL * shorter) / extent)));

  const sx = geometry.columns / mapColumns;
  const sy = geometry.rows / mapRows;
  const target = geometry.toWorld([
    (region.centroidColumn + 0.5) * sx - 0.5,
    (region.centroidRow + 0.5) * sy - 0.5,
    0,
  ]);
  const { focalPoint, position, viewPlaneNormal: n = [0, 0, 1] } = viewport.getCamera();
  if (!focalPoint || !position) return;
  // Move within the image plane only.
  const raw = [0, 1, 2].map((i) => target[i]! - focalPoint[i]!);
  const along = raw[0]! * n[0] + raw[1]! * n[1] + raw[2]! * n[2];
  const d = raw.map((v, i) => v - along * n[i]!);
  viewport.setCamera({
    focalPoint: [focalPoint[0] + d[0]!, focalPoint[1] + d[1]!, focalPoint[2] + d[2]!],
    position: [position[0] + d[0]!, position[1] + d[1]!, position[2] + d[2]!],
  });
  viewport.render();
}
