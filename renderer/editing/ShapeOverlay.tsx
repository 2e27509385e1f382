import { type ReactNode, useRef, useState } from 'react';
import type { LabelmapSession } from './LabelmapSession.js';

export type ShapeTool = 'freehand' | 'polygon' | 'placeFinding';

export interface ShapeOverlayProps {
  session: LabelmapSession;
  tool: ShapeTool;
  /** A closed outline in image pixels (x = column, y = row). */
  onShape(vertices: [number, number][]): void;
  /** A point in image pixels (placing a finding). */
  onPoint(column: number, row: number): void;
}

/**
 * The editor's own pointer tools, drawn in SVG over the viewport: freehand (drag, fill on
 * release), polygon (click vertices; double-click or Enter fills, Escape cancels) and placing a
 * missed finding (click).
 */
export function ShapeOverlay({ session, tool, onShape, onPoint }: ShapeOverlayProps): ReactNode {
  const [points, setPoints] = useState<[number, number][]>([]);
  const drawing = useRef(false);
  const local = (event: React.PointerEvent | React.MouseEvent): [number, number] => {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  const finish = (canvasPoints: [number, number][]): void => {
    setPoints([]);
    const vertices = canvasPoints
      .map(([x, y]) => session.canvasToPixel(x, y))
      .filter((p): p is [number, number] => p !== null);
    if (vertices.length >= 3) onShape(vertices);
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
            : 'Click where the missed finding is (Enter: the centre of the view)'
      }
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        const point = local(event);
        if (tool === 'freehand') {
          drawing.current = true;
          (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
          setPoints([point]);
        } else if (tool === 'polygon') {
          setPoints((current) => [...current, point]);
        } else {
          const pixel = session.canvasToPixel(point[0], point[1]);
          if (pixel) onPoint(pixel[0], pixel[1]);
        }
      }}
      onPointerMove={(event) => {
        if (tool === 'freehand' && drawing.current) {
          const point = local(event);
          setPoints((current) => [...current, point]);
        }
      }}
      onPointerUp={() => {
        if (tool !== 'freehand' || !drawing.current) return;
        drawing.current = false;
        finish(points);
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
