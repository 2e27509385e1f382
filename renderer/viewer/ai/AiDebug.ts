/**
 * Read-only probes of the AI overlay for end-to-end tests and benchmarks, on
 * `window.__mammoDebug.ai`: what each view shows (state, threshold, outlined area, the map's
 * levels) and the overlay canvas's pixels. Nothing here changes the display.
 */
import type { Box } from './drawOverlay.js';

export interface AiViewInfo {
  viewportId: string;
  imageId: number;
  status: string;
  visible: boolean;
  threshold: number;
  /** The 8-bit level the threshold outlines from. */
  level: number;
  /** Map pixels at or above the level; null until the map is loaded. */
  outlinePixels: number | null;
  /** Levels present in the map (lowest above 0, highest); null until loaded. */
  levels: { minNonZero: number; max: number; nonZero: number } | null;
  /** [level, pixels] for every level present. */
  histogram: [number, number][] | null;
  /** API findings at or above the threshold in this view. */
  findings: number;
  /** Indices of the findings marked (capped per image). */
  marks: number[];
  draws: number;
  /** Durations of the latest draws with a map (ms). */
  drawMs: number[];
}

export interface OverlayStats {
  /** Share of the overlay canvas's pixels that are not transparent. */
  litFraction: number;
  /** Where the drawn pixels are, in CSS pixels; null when none. */
  drawnBox: Box | null;
  /** Where the image is, in CSS pixels. */
  imageBox: Box | null;
}

/** What an overlay registers for its viewport. */
export interface AiViewProbe {
  info(): AiViewInfo;
  canvas(): HTMLCanvasElement | null;
  imageBox(): Box | null;
}

export class AiDebug {
  private readonly probes = new Map<string, AiViewProbe>();

  /** Returns the function that unregisters. */
  register(viewportId: string, probe: AiViewProbe): () => void {
    this.probes.set(viewportId, probe);
    return () => {
      if (this.probes.get(viewportId) === probe) this.probes.delete(viewportId);
    };
  }

  views(): AiViewInfo[] {
    return [...this.probes.values()].map((probe) => probe.info());
  }

  view(viewportId: string): AiViewInfo | null {
    return this.probes.get(viewportId)?.info() ?? null;
  }

  overlayStats(viewportId: string): OverlayStats | null {
    const probe = this.probes.get(viewportId);
    const canvas = probe?.canvas();
    const context = canvas?.getContext('2d');
    if (!probe || !canvas || !context || !canvas.width || !canvas.height) return null;
    const { width, height } = canvas;
    const data = context.getImageData(0, 0, width, height).data;
    let lit = 0;
    let left = width;
    let top = height;
    let right = -1;
    let bottom = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!data[(y * width + x) * 4 + 3]) continue;
        lit++;
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
    const scale = canvas.clientWidth ? width / canvas.clientWidth : 1;
    return {
      litFraction: lit / (width * height),
      drawnBox: lit
        ? { left: left / scale, top: top / scale, right: (right + 1) / scale, bottom: (bottom + 1) / scale }
        : null,
      imageBox: probe.imageBox(),
    };
  }
}
