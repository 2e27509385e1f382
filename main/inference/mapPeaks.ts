/**
 * Peaks of a probability map: where the model points, at lesion scale. The map is averaged onto a
 * grid of about 1 mm, smoothed with a Gaussian of lesion scale, and its local maxima are kept with
 * non-maximum suppression. One function serves the image score, the FROC candidates and the
 * viewer's findings, so all three agree.
 */

export interface MapPeak {
  /** Position in the map's own pixels (the centre of the grid cell of the maximum). */
  row: number;
  column: number;
  /** The smoothed map's value at the peak, 0..1. */
  score: number;
}

export interface PeakOptions {
  /** Side of a grid cell, mm. */
  gridMm: number;
  /** Standard deviation of the Gaussian smoothing, mm. */
  smoothingMm: number;
  /** No two peaks closer than this, mm (the stronger one stays). */
  suppressionRadiusMm: number;
  /** Peaks below this smoothed score are ignored. */
  minScore: number;
  /** At most this many peaks, strongest first. */
  maxPeaks: number;
}

export const PEAK_DEFAULTS: Readonly<PeakOptions> = Object.freeze({
  gridMm: 1,
  smoothingMm: 1,
  suppressionRadiusMm: 8,
  minScore: 0.01,
  maxPeaks: 50,
});

/** A map averaged onto a coarse grid, `factor` map pixels to a cell side. */
interface Grid {
  values: Float32Array;
  rows: number;
  columns: number;
  factor: number;
}

function averageOntoGrid(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  factor: number,
): Grid {
  const gridRows = Math.ceil(rows / factor);
  const gridColumns = Math.ceil(columns / factor);
  const sums = new Float32Array(gridRows * gridColumns);
  const counts = new Float32Array(gridRows * gridColumns);
  for (let r = 0; r < rows; r++) {
    const gr = (r / factor) | 0;
    for (let c = 0; c < columns; c++) {
      const cell = gr * gridColumns + ((c / factor) | 0);
      sums[cell]! += probability[r * columns + c]!;
      counts[cell]!++;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! / counts[i]!;
  return { values: sums, rows: gridRows, columns: gridColumns, factor };
}

/** Separable Gaussian blur; the kernel is renormalised at the edges, so a flat map stays flat. */
export function gaussianBlur(
  values: Float32Array,
  rows: number,
  columns: number,
  sigma: number,
): Float32Array {
  if (sigma <= 0) return values.slice();
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Float32Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const pass = (input: Float32Array, length: number, stride: number, lines: number, lineStride: number) => {
    const out = new Float32Array(input.length);
    for (let line = 0; line < lines; line++) {
      const base = line * lineStride;
      for (let i = 0; i < length; i++) {
        let sum = 0;
        let weight = 0;
        for (let k = -radius; k <= radius; k++) {
          const j = i + k;
          if (j < 0 || j >= length) continue;
          const w = kernel[k + radius]!;
          sum += input[base + j * stride]! * w;
          weight += w;
        }
        out[base + i * stride] = sum / weight;
      }
    }
    return out;
  };
  const horizontal = pass(values, columns, 1, rows, columns);
  return pass(horizontal, rows, columns, columns, 1);
}

/**
 * The peaks of a probability map (values 0..1, `rows` x `columns`, `spacingMm` per pixel),
 * strongest first.
 *
 * @example
 * const [top] = findMapPeaks(map, 1024, 1024, 0.2); // top?.score is the image score
 */
export function findMapPeaks(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  spacingMm: number,
  options: Partial<PeakOptions> = {},
): MapPeak[] {
  const o = { ...PEAK_DEFAULTS, ...options };
  const factor = Math.max(1, Math.round(o.gridMm / spacingMm));
  const grid = averageOntoGrid(probability, rows, columns, factor);
  const cellMm = factor * spacingMm;
  const smooth = gaussianBlur(grid.values, grid.rows, grid.columns, o.smoothingMm / cellMm);

  const maxima: number[] = [];
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.columns; c++) {
      const i = r * grid.columns + c;
      const v = smooth[i]!;
      if (v < o.minScore) continue;
      let isMax = true;
      let aboveSomeNeighbour = false;
      for (let dr = -1; dr <= 1 && isMax; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if ((dr === 0 && dc === 0) || rr < 0 || cc < 0 || rr >= grid.rows || cc >= grid.columns) continue;
          const j = rr * grid.columns + cc;
          // Plateaus keep one maximum (ties go to the earlier cell); a flat interior is no peak.
          if (smooth[j]! > v || (smooth[j] === v && j < i)) {
            isMax = false;
            break;
          }
          if (smooth[j]! < v) aboveSomeNeighbour = true;
        }
      }
      isMax &&= aboveSomeNeighbour;
      if (isMax) maxima.push(i);
    }
  }
  maxima.sort((a, b) => smooth[b]! - smooth[a]! || a - b);

  const suppression = (o.suppressionRadiusMm / cellMm) ** 2;
  const kept: { r: number; c: number; score: number }[] = [];
  for (const i of maxima) {
    const r = (i / grid.columns) | 0;
    const c = i - r * grid.columns;
    if (kept.some((k) => (k.r - r) ** 2 + (k.c - c) ** 2 < suppression)) continue;
    kept.push({ r, c, score: smooth[i]! });
    if (kept.length >= o.maxPeaks) break;
  }
  return kept.map((k) => ({
    row: Math.min(rows - 1, k.r * factor + (factor - 1) / 2),
    column: Math.min(columns - 1, k.c * factor + (factor - 1) / 2),
    score: k.score,
  }));
}

/** The image's abnormality score: its strongest peak, 0 when the map is empty. */
export function imageScoreOfPeaks(peaks: readonly MapPeak[]): number {
  return peaks[0]?.score ?? 0;
}
