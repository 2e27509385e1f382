/**
 * Read-only hooks for end-to-end tests and benchmarks, on `window.__mammoDebug`: pixel statistics
 * of a viewport's canvas, its display state, and render timestamps. Nothing here changes the view.
 */
import type { Types } from '@cornerstonejs/core';
import { AiDebug } from './ai/AiDebug.js';
import { imageBoxOnCanvas } from './ai/drawOverlay.js';
import { readViewState } from './viewState.js';
import type { Box, ViewportDisplayState, ViewportStats } from '../common/debugProbeTypes.js';

interface Registered {
  viewport: Types.IStackViewport;
  renderTimes: number[];
}

const MAX_RENDER_TIMES = 2000;

export class ViewerDebug {
  private readonly viewports = new Map<string, Registered>();
  /** The AI overlay's probes. */
  readonly ai = new AiDebug();

  register(viewportId: string, viewport: Types.IStackViewport): void {
    this.viewports.set(viewportId, { viewport, renderTimes: [] });
  }

  unregister(viewportId: string): void {
    this.viewports.delete(viewportId);
  }

  /** Called on every IMAGE_RENDERED. */
  recordRender(viewportId: string, time: number): void {
    const times = this.viewports.get(viewportId)?.renderTimes;
    if (!times) return;
    times.push(time);
    if (times.length > MAX_RENDER_TIMES) times.splice(0, times.length - MAX_RENDER_TIMES);
  }

  viewportIds(): string[] {
    return [...this.viewports.keys()];
  }

  renderTimes(viewportId: string): number[] {
    return [...(this.viewports.get(viewportId)?.renderTimes ?? [])];
  }

  viewportStats(viewportId: string): ViewportStats | null {
    const canvas = this.viewports.get(viewportId)?.viewport.getCanvas();
    const context = canvas?.getContext('2d');
    if (!canvas || !context || !canvas.width || !canvas.height) return null;
    const { width, height } = canvas;
    const data = context.getImageData(0, 0, width, height).data;
    const third = Math.floor(width / 3);
    let sum = 0;
    let left = 0;
    let right = 0;
    let lit = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const gray = ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0)) / 3;
        sum += gray;
        if (gray > 16) lit++;
        if (x < third) left += gray;
        else if (x >= width - third) right += gray;
      }
    }
    const n = width * height;
    const thirdN = third * height || 1;
    return {
      width,
      height,
      mean: sum / n,
      leftThirdMean: left / thirdN,
      rightThirdMean: right / thirdN,
      litFraction: lit / n,
    };
  }

  /** Where the image lies on the page (CSS pixels), whatever its pixels hold. */
  imageBox(viewportId: string): Box | null {
    const viewport = this.viewports.get(viewportId)?.viewport;
    const box = viewport ? imageBoxOnCanvas(viewport) : null;
    if (!viewport || !box) return null;
    const canvas = viewport.getCanvas().getBoundingClientRect();
    return {
      left: canvas.left + box.left,
      top: canvas.top + box.top,
      right: canvas.left + box.right,
      bottom: canvas.top + box.bottom,
    };
  }

  viewportState(viewportId: string): ViewportDisplayState | null {
    const viewport = this.viewports.get(viewportId)?.viewport;
    if (!viewport) return null;
    const camera = viewport.getCamera();
    const properties = viewport.getProperties();
    const pan = viewport.getPan();
    return {
      imageId: viewport.getCurrentImageId() ?? '',
      flipHorizontal: camera.flipHorizontal ?? false,
      invert: properties.invert ?? false,
      voi: properties.voiRange
        ? { lower: properties.voiRange.lower, upper: properties.voiRange.upper }
        : null,
      zoom: viewport.getZoom(),
      pan: [pan[0], pan[1]],
      centre: readViewState(viewport).centre,
    };
  }
}

declare global {
  interface Window {
    __mammoDebug?: ViewerDebug;
  }
}

/** The page's one debug registry (created on first use). */
export function viewerDebug(): ViewerDebug {
  window.__mammoDebug ??= new ViewerDebug();
  return window.__mammoDebug;
}
