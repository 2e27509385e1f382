import type { Finding } from '../api/predictions.js';
import type { MapPeak } from './mapPeaks.js';

export type { Finding };

export interface FindingOptions {
  /** A peak is a finding when its smoothed score reaches this (the card's finding threshold). */
  threshold: number;
  /** The map's pixel spacing, mm (assumed where the image has none). */
  spacingMm: number;
  /** The image's own spacing for areas; null when unknown (areas are then reported as null). */
  areaSpacingMm: readonly [number, number] | null;
  /** Findings smaller than this are dropped as noise, mm². */
  minAreaMm2: number;
  /** At most this many findings, strongest first. */
  maxFindings: number;
}

/**
 * The findings of a probability map: one per peak (from `findMapPeaks`, strongest first) whose smoothed score
 * reaches the threshold, outlined as the 8-connected region around the peak where the map stays
 * at or above max(threshold, half the map's maximum at the peak). Outlining at half the peak keeps two nearby
 * lesions apart even where the map between them is above threshold; a peak that falls inside an
 * earlier finding's outline adds nothing.
 */
export function extractFindings(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  allPeaks: readonly MapPeak[],
  options: FindingOptions,
): Finding[] {
  const peaks = allPeaks.filter((p) => p.score >= options.threshold);
  const owner = new Int32Array(rows * columns);
  const stack = new Int32Array(rows * columns);
  const pixelArea = options.spacingMm * options.spacingMm;
  const found: Omit<Finding, 'index'>[] = [];
  for (const peak of peaks) {
    if (found.length >= options.maxFindings) break;
    const seed = strongestPixelNear(probability, rows, columns, peak, options.spacingMm);
    if (owner[seed]) continue;
    const level = Math.max(options.threshold, (probability[seed] ?? 0) / 2);
    if ((probability[seed] ?? 0) < level) continue;
    const label = found.length + 1;
    let top = rows;
    let left = columns;
    let bottom = -1;
    let right = -1;
    let count = 0;
    let sumRow = 0;
    let sumColumn = 0;
    let sumP = 0;
    let maxP = 0;
    let sp = 0;
    stack[sp++] = seed;
    owner[seed] = label;
    while (sp > 0) {
      const index = stack[--sp]!;
      const row = (index / columns) | 0;
      const column = index - row * columns;
      const p = probability[index] ?? 0;
      count++;
      sumRow += row;
      sumColumn += column;
      sumP += p;
      if (p > maxP) maxP = p;
      if (row < top) top = row;
      if (row > bottom) bottom = row;
      if (column < left) left = column;
      if (column > right) right = column;
      for (let dr = -1; dr <= 1; dr++) {
        const r = row + dr;
        if (r < 0 || r >= rows) continue;
        for (let dc = -1; dc <= 1; dc++) {
          const c = column + dc;
          if (c < 0 || c >= columns) continue;
          const neighbour = r * columns + c;
          if (!owner[neighbour] && (probability[neighbour] ?? 0) >= level) {
            owner[neighbour] = label;
            stack[sp++] = neighbour;
          }
        }
      }
    }
    if (count * pixelArea < options.minAreaMm2) continue;
    found.push({
      centroidColumn: sumColumn / count,
      centroidRow: sumRow / count,
      bounds: { top, left, bottom, right },
      areaPixels: count,
      areaMm2: options.areaSpacingMm ? count * options.areaSpacingMm[0] * options.areaSpacingMm[1] : null,
      maxProbability: maxP,
      meanProbability: sumP / count,
    });
  }
  return found.map((f, i) => ({ ...f, index: i + 1 }));
}

/** The map's strongest pixel within one smoothing radius (about 2 mm) of a peak. */
function strongestPixelNear(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  peak: MapPeak,
  spacingMm: number,
): number {
  const reach = Math.max(1, Math.round(2 / spacingMm));
  const r0 = Math.round(peak.row);
  const c0 = Math.round(peak.column);
  let best = r0 * columns + c0;
  for (let r = Math.max(0, r0 - reach); r <= Math.min(rows - 1, r0 + reach); r++) {
    for (let c = Math.max(0, c0 - reach); c <= Math.min(columns - 1, c0 + reach); c++) {
      const i = r * columns + c;
      if ((probability[i] ?? 0) > (probability[best] ?? 0)) best = i;
    }
  }
  return best;
}
