import type { Finding } from '../../main/api/predictions.js';
/**
 * What the viewer computes from a probability map: the outlined area at a threshold, a coarser
 * working grid for drawing, the outline's edges and the regions (findings) above the threshold.
 * Pure, so it is unit-tested without a browser.
 *
 * Maps are 8-bit (level 255 = probability 1). A threshold t outlines the pixels whose level is at
 * least {@link thresholdLevel}(t), i.e. whose stored probability is >= t.
 */

/** An 8-bit probability map at the image's resolution, row-major. */
export interface ProbabilityMap {
  columns: number;
  rows: number;
  data: Uint8Array;
}

/** A coarser copy of a map: each cell holds the maximum of `factor` x `factor` map pixels. */
export interface WorkingGrid {
  columns: number;
  rows: number;
  factor: number;
  data: Uint8Array;
}

/** The levels present in a map. */
export interface LevelRange {
  /** Lowest level above 0 (0 when the map is all 0). */
  minNonZero: number;
  max: number;
  /** Pixels above 0. */
  nonZero: number;
}

/** A connected region at or above the threshold, in map pixels: the back end's Finding shape. */
export type MapRegion = Finding;

/** The smallest level a threshold outlines; thresholds at or below 0 still leave level 0 out. */
export function thresholdLevel(threshold: number): number {
  return Math.min(255, Math.max(1, Math.ceil(threshold * 255 - 1e-6)));
}

/** Pixels per level (256 bins). */
export function levelHistogram(map: ProbabilityMap): Uint32Array {
  const histogram = new Uint32Array(256);
  const { data } = map;
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++;
  return histogram;
}

export function levelRange(histogram: Uint32Array): LevelRange {
  let minNonZero = 0;
  let max = 0;
  let nonZero = 0;
  for (let level = 1; level < 256; level++) {
    const count = histogram[level]!;
    if (!count) continue;
    if (!minNonZero) minNonZero = level;
    max = level;
    nonZero += count;
  }
  return { minNonZero, max, nonZero };
}

/** Pixels at or above `level`: the area the outline encloses. */
export function areaAtLevel(histogram: Uint32Array, level: number): number {
  let area = 0;
  for (let l = Math.max(0, level); l < 256; l++) area += histogram[l]!;
  return area;
}

/**
 * Max-pools the map so that neither side exceeds `maxSide` cells. Max, not mean, so that a small
 * hot spot still crosses the threshold in the grid and gets its outline.
 */
export function maxPoolGrid(map: ProbabilityMap, maxSide: number): WorkingGrid {
  const factor = Math.max(1, Math.ceil(Math.max(map.columns, map.rows) / maxSide));
  if (factor === 1) return { columns: map.columns, rows: map.rows, factor, data: map.data };
  const columns = Math.ceil(map.columns / factor);
  const rows = Math.ceil(map.rows / factor);
  const data = new Uint8Array(columns * rows);
  for (let y = 0; y < map.rows; y++) {
    const source = y * map.columns;
    const target = ((y / factor) | 0) * columns;
    for (let x = 0; x < map.columns; x++) {
      const value = map.data[source + x]!;
      const cell = target + ((x / factor) | 0);
      if (value > data[cell]!) data[cell] = value;
    }
  }
  return { columns, rows, factor, data };
}

/**
 * The boundary of the cells at or above `level`: edges between a cell inside and one outside (or
 * the grid's border), as segments `[x0, y0, x1, y1, ...]` with cell corners at integer
 * coordinates. Collinear neighbouring edges are merged into one segment.
 */
export function outlineSegments(grid: WorkingGrid, level: number): Float32Array {
  const { columns, rows, data } = grid;
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < columns && y < rows && data[y * columns + x]! >= level;
  const segments: number[] = [];
  // Horizontal edges on line y, between row y - 1 and row y.
  for (let y = 0; y <= rows; y++) {
    let start = -1;
    for (let x = 0; x <= columns; x++) {
      const edge = x < columns && inside(x, y - 1) !== inside(x, y);
      if (edge && start < 0) start = x;
      else if (!edge && start >= 0) {
        segments.push(start, y, x, y);
        start = -1;
      }
    }
  }
  // Vertical edges on line x, between column x - 1 and column x.
  for (let x = 0; x <= columns; x++) {
    let start = -1;
    for (let y = 0; y <= rows; y++) {
      const edge = y < rows && inside(x - 1, y) !== inside(x, y);
      if (edge && start < 0) start = y;
      else if (!edge && start >= 0) {
        segments.push(x, start, x, y);
        start = -1;
      }
    }
  }
  return Float32Array.from(segments);
}

/**
 * The 8-connected regions of grid cells at or above `level`, measured on the full map: each map
 * pixel at or above the level counts towards its cell's region (max-pooling puts every such pixel
 * in an outlined cell). Regions under `minAreaPixels` map pixels are dropped as noise.
 *
 * @param pixelSpacingMm [row, column] spacing of a map pixel, or null when unknown.
 */
export function findRegions(
  map: ProbabilityMap,
  grid: WorkingGrid,
  level: number,
  pixelSpacingMm: readonly [number, number] | null,
  minAreaPixels = 1,
): MapRegion[] {
  const labels = labelGrid(grid, level);
  const count = labels.count;
  if (!count) return [];
  const area = new Float64Array(count);
  const sumRow = new Float64Array(count);
  const sumColumn = new Float64Array(count);
  const sumLevel = new Float64Array(count);
  const maxLevel = new Uint8Array(count);
  const top = new Int32Array(count).fill(map.rows);
  const left = new Int32Array(count).fill(map.columns);
  const bottom = new Int32Array(count).fill(-1);
  const right = new Int32Array(count).fill(-1);
  const { factor } = grid;
  for (let y = 0; y < map.rows; y++) {
    const rowStart = y * map.columns;
    const cellRow = ((y / factor) | 0) * grid.columns;
    for (let x = 0; x < map.columns; x++) {
      const value = map.data[rowStart + x]!;
      if (value < level) continue;
      const label = labels.data[cellRow + ((x / factor) | 0)]! - 1;
      if (label < 0) continue;
      area[label]!++;
      sumRow[label]! += y;
      sumColumn[label]! += x;
      sumLevel[label]! += value;
      if (value > maxLevel[label]!) maxLevel[label] = value;
      if (y < top[label]!) top[label] = y;
      if (y > bottom[label]!) bottom[label] = y;
      if (x < left[label]!) left[label] = x;
      if (x > right[label]!) right[label] = x;
    }
  }
  const regions: Omit<MapRegion, 'index'>[] = [];
  for (let i = 0; i < count; i++) {
    const n = area[i]!;
    if (n < Math.max(1, minAreaPixels)) continue;
    regions.push({
      centroidColumn: sumColumn[i]! / n,
      centroidRow: sumRow[i]! / n,
      bounds: { top: top[i]!, left: left[i]!, bottom: bottom[i]!, right: right[i]! },
      areaPixels: n,
      areaMm2: pixelSpacingMm ? n * pixelSpacingMm[0] * pixelSpacingMm[1] : null,
      maxProbability: maxLevel[i]! / 255,
      meanProbability: sumLevel[i]! / n / 255,
    });
  }
  return regions
    .sort((a, b) => b.maxProbability - a.maxProbability || b.areaPixels - a.areaPixels)
    .map((region, i) => ({ ...region, index: i + 1 }));
}

/** 8-connected component labels (1-based; 0 = outside) of the cells at or above `level`. */
function labelGrid(grid: WorkingGrid, level: number): { data: Int32Array; count: number } {
  const { columns, rows, data } = grid;
  const labels = new Int32Array(columns * rows);
  const stack = new Int32Array(columns * rows);
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] || data[start]! < level) continue;
    const label = ++count;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = label;
    while (sp > 0) {
      const index = stack[--sp]!;
      const y = (index / columns) | 0;
      const x = index - y * columns;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= rows) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= columns) continue;
          const neighbour = ny * columns + nx;
          if (!labels[neighbour] && data[neighbour]! >= level) {
            labels[neighbour] = label;
            stack[sp++] = neighbour;
          }
        }
      }
    }
  }
  return { data: labels, count };
}
