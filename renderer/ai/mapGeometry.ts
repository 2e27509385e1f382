/**
 * Where a map pixel lands on the canvas. The viewer projects three corners of the image through
 * the viewport's camera; everything else (heatmap, outline, marks) follows by one affine
 * transform, so zoom, pan, flips and rotation need no special cases. Pure.
 */

export type Point = readonly [number, number];

/** `x' = a x + c y + e`, `y' = b x + d y + f`: the argument order of CanvasRenderingContext2D.setTransform. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/**
 * The transform from map pixel-edge coordinates (0..columns, 0..rows) to canvas coordinates,
 * given where the map's top-left, top-right and bottom-left corners land.
 */
export function affineFromCorners(
  topLeft: Point,
  topRight: Point,
  bottomLeft: Point,
  columns: number,
  rows: number,
): Affine {
  return {
    a: (topRight[0] - topLeft[0]) / columns,
    b: (topRight[1] - topLeft[1]) / columns,
    c: (bottomLeft[0] - topLeft[0]) / rows,
    d: (bottomLeft[1] - topLeft[1]) / rows,
    e: topLeft[0],
    f: topLeft[1],
  };
}

export function applyAffine(t: Affine, x: number, y: number): [number, number] {
  return [t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f];
}

/** `t` after scaling its input by (sx, sy) and its output by `out` (e.g. the device pixel ratio). */
export function scaleAffine(t: Affine, sx: number, sy: number, out = 1): Affine {
  return {
    a: t.a * sx * out,
    b: t.b * sx * out,
    c: t.c * sy * out,
    d: t.d * sy * out,
    e: t.e * out,
    f: t.f * out,
  };
}

/** Canvas length of one input unit along x (for line widths under the transform). */
export function affineScale(t: Affine): number {
  return Math.hypot(t.a, t.b);
}

/** The canvas rectangle covering a box of map pixels (inclusive bounds). */
export function boundsOnCanvas(
  t: Affine,
  bounds: { top: number; left: number; bottom: number; right: number },
): { left: number; top: number; right: number; bottom: number } {
  const corners = [
    applyAffine(t, bounds.left, bounds.top),
    applyAffine(t, bounds.right + 1, bounds.top),
    applyAffine(t, bounds.left, bounds.bottom + 1),
    applyAffine(t, bounds.right + 1, bounds.bottom + 1),
  ];
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}
