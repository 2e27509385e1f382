/**
 * Draws the app icon (a breast profile with a highlighted finding on a dark rounded square) as
 * PNGs in build/icons: one per size for Linux, and icon.png (1024) that electron-builder turns
 * into the Windows .ico and the macOS .icns. Run with `npm run icons`; the output is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';

const OUT = fileURLToPath(new URL('../build/icons/', import.meta.url));
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

/** RGBA of the icon at a size, supersampled 4x4 per pixel for smooth edges. */
export function drawIcon(size: number): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (x + (sx + 0.5) / samples) / size;
          const v = (y + (sy + 0.5) / samples) / size;
          const [cr, cg, cb, ca] = shade(u, v);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const n = samples * samples;
      const i = (y * size + x) * 4;
      data[i] = a ? Math.round(r / a) : 0;
      data[i + 1] = a ? Math.round(g / a) : 0;
      data[i + 2] = a ? Math.round(b / a) : 0;
      data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return data;
}

/** Colour and coverage (0..1) at a point of the unit square. */
function shade(u: number, v: number): [number, number, number, number] {
  // Rounded square background.
  const margin = 0.06;
  const radius = 0.2;
  const dx = Math.max(margin + radius - u, 0, u - (1 - margin - radius));
  const dy = Math.max(margin + radius - v, 0, v - (1 - margin - radius));
  if (dx * dx + dy * dy > radius * radius) return [0, 0, 0, 0];
  // Finding: a magenta dot inside the breast.
  if ((u - 0.52) ** 2 + (v - 0.5) ** 2 < 0.075 ** 2) return [236, 64, 140, 1];
  // Breast: a half-disc against the left edge (the chest wall), bright tissue.
  const inside = (u - 0.18) ** 2 / 0.58 ** 2 + (v - 0.5) ** 2 / 0.36 ** 2 < 1 && u > 0.18;
  if (inside) {
    const depth = (u - 0.18) / 0.58;
    const level = Math.round(235 - depth * 60);
    return [level, level, level, 1];
  }
  return [22, 36, 71, 1];
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  const png = encode({ width: size, height: size, data: drawIcon(size), channels: 4, depth: 8 });
  writeFileSync(join(OUT, `${size}x${size}.png`), png);
  if (size === 1024) writeFileSync(join(OUT, 'icon.png'), png);
}
console.log(`icons written to ${OUT}`);
