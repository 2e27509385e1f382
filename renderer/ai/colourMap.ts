/**
 * The heatmap's colours: Turbo (a rainbow map with even perceived steps) with an opacity that
 * rises with the probability, so the image stays visible where the model sees little. Pure.
 */
import { HEATMAP } from './constants.js';

/** Turbo's polynomial approximation (Mikhailov 2019), x in 0..1 -> [r, g, b] in 0..255. */
export function turbo(x: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, x));
  const r =
    0.13572138 +
    t * (4.6153926 + t * (-42.66032258 + t * (132.13108234 + t * (-152.94239396 + t * 59.28637943))));
  const g =
    0.09140261 + t * (2.19418839 + t * (4.84296658 + t * (-14.18503333 + t * (4.27729857 + t * 2.82956604))));
  const b =
    0.1066733 +
    t * (12.64194608 + t * (-60.58204836 + t * (110.36276771 + t * (-89.90310912 + t * 27.34824973))));
  const byte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, v)));
  return [byte(r), byte(g), byte(b)];
}

/** Opacity (0..1) of a probability in the heatmap before the reader's opacity setting. */
export function heatmapAlpha(probability: number): number {
  if (probability < HEATMAP.floor) return 0;
  return Math.min(1, HEATMAP.minAlpha + HEATMAP.alphaGain * probability);
}

/**
 * RGBA for each of the 256 map levels; levels under `floorLevel` (the display threshold's) are
 * transparent, so the heatmap shows only what the reader's threshold lets through.
 */
export function heatmapLut(floorLevel = 0): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let level = 0; level < 256; level++) {
    const p = level / 255;
    const [r, g, b] = turbo(p);
    const alpha = level < floorLevel ? 0 : heatmapAlpha(p);
    lut.set([r, g, b, Math.round(255 * alpha)], level * 4);
  }
  return lut;
}

/** RGBA pixels of a grid of levels through a LUT (for an ImageData). */
export function colourise(levels: Uint8Array, lut: Uint8ClampedArray): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(levels.length * 4);
  const lut32 = new Uint32Array(lut.buffer, lut.byteOffset, 256);
  const out32 = new Uint32Array(pixels.buffer);
  for (let i = 0; i < levels.length; i++) out32[i] = lut32[levels[i]!]!;
  return pixels;
}

/** A CSS gradient of the colour bar, 0 at the left. */
export function colourBarGradient(stops = 16): string {
  const parts: string[] = [];
  for (let i = 0; i <= stops; i++) {
    const [r, g, b] = turbo(i / stops);
    parts.push(`rgb(${r} ${g} ${b}) ${((i / stops) * 100).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
