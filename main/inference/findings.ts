import type { Finding, FindingSource } from '../api/predictions.js';
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
  /** Which member gave a map pixel (multi-member models); the finding's strongest pixel names its source. */
  sourceAt?: (pixel: number) => FindingSource;
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
    const region = floodRegion(probability, rows, columns, seed, level, owner, found.length + 1, stack);
    const count = region.count;
    if (count * pixelArea < options.minAreaMm2) continue;
    found.push({
      centroidColumn: region.sumColumn / count,
      centroidRow: region.sumRow / count,
      bounds: { top: region.top, left: region.left, bottom: region.bottom, right: region.right },
      areaPixels: count,
      areaMm2: options.areaSpacingMm ? count * options.areaSpacingMm[0] * options.areaSpacingMm[1] : null,
      maxProbability: region.maxP,
      meanProbability: region.sumP / count,
      ...(options.sourceAt ? { source: options.sourceAt(region.maxPixel) } : {}),
    });
  }
  return found.map((f, i) => ({ ...f, index: i + 1 }));
}

/**
 * Labels the 8-connected region around `seed` where the map is >= `level` and not yet owned, and
 * sums what a finding reports.
 */
function floodRegion(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  seed: number,
  level: number,
  owner: Int32Array,
  label: number,
  stack: Int32Array,
) {
  const region = {
    count: 0,
    sumRow: 0,
    sumColumn: 0,
    sumP: 0,
    maxP: 0,
    maxPixel: seed,
    top: rows,
    left: columns,
    bottom: -1,
    right: -1,
  };
  let sp = 0;
  stack[sp++] = seed;
  owner[seed] = label;
  while (sp > 0) {
    const index = stack[--sp]!;
    const row = (index / columns) | 0;
    const column = index - row * columns;
    const p = probability[index]!;
    region.count++;
    region.sumRow += row;
    region.sumColumn += column;
    region.sumP += p;
    if (p > region.maxP) {
      region.maxP = p;
      region.maxPixel = index;
    }
    if (row < region.top) region.top = row;
    if (row > region.bottom) region.bottom = row;
    if (column < region.left) region.left = column;
    if (column > region.right) region.right = column;
    const r0 = row > 0 ? row - 1 : 0;
    const r1 = row < rows - 1 ? row + 1 : row;
    const c0 = column > 0 ? column - 1 : 0;
    const c1 = column < columns - 1 ? column + 1 : column;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const neighbour = r * columns + c;
        if (owner[neighbour] === 0 && probability[neighbour]! >= level) {
          owner[neighbour] = label;
          stack[sp++] = neighbour;
        }
      }
    }
  }
  return region;
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
