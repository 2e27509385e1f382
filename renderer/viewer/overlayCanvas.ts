/** What the viewport overlays' canvases share: tracking their size, and a backing store in device pixels. */
import { type RefObject, useEffect, useState } from 'react';

export interface CanvasSize {
  /** CSS pixels. */
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  dpr: number;
}

/** The canvas's CSS size and the device pixel ratio, updated whenever the canvas is resized. */
export function useCanvasSize(canvasRef: RefObject<HTMLCanvasElement | null>): CanvasSize {
  const [size, setSize] = useState<CanvasSize>({ width: 0, height: 0, dpr: 1 });
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const observer = new ResizeObserver(() =>
      setSize({ width: canvas.clientWidth, height: canvas.clientHeight, dpr: window.devicePixelRatio || 1 }),
    );
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [canvasRef]);
  return size;
}

/**
 * Gives the canvas a backing store of its CSS size in device pixels (so lines stay sharp); false
 * while it is hidden or not measured yet, when there is nothing to draw on.
 */
export function matchBackingStore(canvas: HTMLCanvasElement, size: CanvasSize): boolean {
  const width = Math.round(size.width * size.dpr);
  const height = Math.round(size.height * size.dpr);
  if (!width || !height) return false;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return true;
}
