import type { Finding } from '../api/predictions.js';

export type { Finding };

/**
 * Labels the 8-connected components of `probability >= threshold` (probabilities in 0..1) and
 * describes each. Components smaller than `minAreaPixels` are dropped as noise.
 */
export function extractFindings(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  threshold: number,
  pixelSpacingMm: readonly [number, number] | null,
  minAreaPixels = 1,
): Finding[] {
  const visited = new Uint8Array(rows * columns);
  const stack = new Int32Array(rows * columns);
  const found: Omit<Finding, 'index'>[] = [];
  for (let start = 0; start < rows * columns; start++) {
    if (visited[start] || (probability[start] ?? 0) < threshold) continue;
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
    stack[sp++] = start;
    visited[start] = 1;
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
          if (!visited[neighbour] && (probability[neighbour] ?? 0) >= threshold) {
            visited[neighbour] = 1;
            stack[sp++] = neighbour;
          }
        }
      }
    }
    if (count < minAreaPixels) continue;
    found.push({
      centroidColumn: sumColumn / count,
      centroidRow: sumRow / count,
      bounds: { top, left, bottom, right },
      areaPixels: count,
      areaMm2: pixelSpacingMm ? count * pixelSpacingMm[0] * pixelSpacingMm[1] : null,
      maxProbability: maxP,
      meanProbability: sumP / count,
    });
  }
  return found.sort((a, b) => b.maxProbability - a.maxProbability).map((f, i) => ({ ...f, index: i + 1 }));
}
