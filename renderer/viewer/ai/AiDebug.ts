/**
 * Read-only probes of the AI overlay for end-to-end tests and benchmarks, on
 * `window.__mammoDebug.ai`: what each view shows (state, threshold, outlined area, the map's
 * levels) and the overlay canvas's pixels. Nothing here changes the display.
 */
import type { AiViewInfo, Box, OverlayStats } from '../../common/debugProbeTypes.js';

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
