import { type ReactNode, useRef, useState } from 'react';
import type { LabelmapSession } from './LabelmapSession.js';

export type ShapeTool = 'freehand' | 'polygon' | 'placeFinding';

export interface ShapeOverlayProps {
  session: LabelmapSession;
  tool: ShapeTool;
  /** A closed outline in image pixels (x = column, y = row). */
  onShape(vertices: [number, number][]): void;
  /** A point in image pixels (placing a finding with a click). */
  onPoint(column: number, row: number): void;
  /** A closed outline in image pixels drawn around a finding being placed. */
  onOutline(vertices: [number, number][]): void;
}

/** A placing stroke shorter than this (CSS pixels across) is a click, not an outline. */
const CLICK_SLOP = 5;

/**
 * The editor's own pointer tools, drawn in SVG over the viewport: freehand (drag, fill on
 * release), polygon (click vertices; double-click or Enter fills, Escape cancels) and placing a
 * missed finding (drag an outline around it, which gives it its size; or just click).
 */
export function ShapeOverlay({ session, tool, onShape, onPoint, onOutline }: ShapeOverlayProps): ReactNode {
  const [points, setPoints] = useState<[number, number][]>([]);
  const drawing = useRef(false);
  const local = (event: React.PointerEvent | React.MouseEvent): [number, number] => {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  const toPixels = (canvasPoints: [number, number][]): [number, number][] =>
    canvasPoints
      .map(([x, y]) => session.canvasToPixel(x, y))
      .filter((p): p is [number, number] => p !== null);
  const finish = (canvasPoints: [number, number][]): void => {
    setPoints([]);
    const vertices = toPixels(canvasPoints);
    if (vertices.length >= 3) onShape(vertices);
  };
  const place = (canvasPoints: [number, number][]): void => {
    setPoints([]);
    const xs = canvasPoints.map(([x]) => x);
    const ys = canvasPoints.map(([, y]) => y);
    const across = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    const vertices = toPixels(canvasPoints);
    if (across >= CLICK_SLOP && vertices.length >= 3) onOutline(vertices);
    else if (vertices[0]) onPoint(vertices[0][0], vertices[0][1]);
  };
  return (
    <div
      className="shape-overlay"
      data-testid="shape-overlay"
      data-tool={tool}
      tabIndex={0}
      aria-label={
        tool === 'polygon'
          ? 'Polygon: click the corners, Enter or double-click fills, Escape cancels'
          : tool === 'freehand'
            ? 'Freehand: drag an outline, it fills on release'
            : 'Drag an outline around the missed finding, or click it (Enter: the centre of the view)'
      }
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        const point = local(event);
        if (tool === 'freehand' || tool === 'placeFinding') {
          drawing.current = true;
          (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
          setPoints([point]);
        } else {
          setPoints((current) => [...current, point]);
        }
      }}
      onPointerMove={(event) => {
        if (tool !== 'polygon' && drawing.current) {
          const point = local(event);
          setPoints((current) => [...current, point]);
        }
      }}
      onPointerUp={() => {
        if (tool === 'polygon' || !drawing.current) return;
        drawing.current = false;
        if (tool === 'freehand') finish(points);
        else place(points);
      }}
      onDoubleClick={() => tool === 'polygon' && finish(points)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          if (tool === 'polygon') finish(points);
          else if (tool === 'placeFinding') {
            const rect = event.currentTarget.getBoundingClientRect();
            const pixel = session.canvasToPixel(rect.width / 2, rect.height / 2);
            if (pixel) onPoint(pixel[0], pixel[1]);
          }
        } else if (event.key === 'Escape' && points.length) {
          event.stopPropagation();
          setPoints([]);
        }
      }}
    >
      <svg width="100%" height="100%">
        {points.length > 0 && (
          <polyline
            points={points.map(([x, y]) => `${x},${y}`).join(' ')}
            fill="rgba(77,163,255,0.15)"
            stroke="#4da3ff"
            strokeWidth={1.5}
          />
        )}
      </svg>
    </div>
  );
}
