import type { FindingExtent } from '../../main/api/annotations.js';

/** Where an outlined finding lies: its centroid and extent, in continuous image coordinates. */
export interface OutlinedFinding {
  centroidColumn: number;
  centroidRow: number;
  extent: FindingExtent;
}

/** Coordinates are stored to a tenth of a pixel. */
const tenth = (value: number): number => Math.round(value * 10) / 10;

/**
 * A reader's outline around a missed finding (a closed curve, x = column, y = row, continuous
 * image coordinates) as the finding records it: the extent is the outline's bounding box, the
 * centroid the enclosed area's (the vertices' mean for a degenerate outline). Null for fewer than
 * three vertices.
 */
export function outlinedFinding(vertices: readonly (readonly [number, number])[]): OutlinedFinding | null {
  if (vertices.length < 3) return null;
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  let twiceArea = 0;
  let cx = 0;
  let cy = 0;
  let meanX = 0;
  let meanY = 0;
  vertices.forEach(([x, y], i) => {
    const [nx, ny] = vertices[(i + 1) % vertices.length]!;
    const cross = x * ny - nx * y;
    twiceArea += cross;
    cx += (x + nx) * cross;
    cy += (y + ny) * cross;
    meanX += x / vertices.length;
    meanY += y / vertices.length;
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  });
  const degenerate = Math.abs(twiceArea) < 1e-9;
  return {
    centroidColumn: tenth(degenerate ? meanX : cx / (3 * twiceArea)),
    centroidRow: tenth(degenerate ? meanY : cy / (3 * twiceArea)),
    extent: {
      top: tenth(Math.max(0, top)),
      left: tenth(Math.max(0, left)),
      bottom: tenth(Math.max(0, bottom)),
      right: tenth(Math.max(0, right)),
    },
  };
}
