/**
 * Where each finding mark's label goes so that no two labels overlap and none covers the corner
 * text or leaves the canvas. Pure, so it is unit-tested without a browser.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelRequest {
  /** The mark's centre on the canvas (CSS pixels). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Gap between a mark's centre and its label. */
const OFFSET = 7;

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Tries, for each label in order (strongest finding first), above-right, below-right, above-left
 * and below-left of its mark; takes the first that fits. A label that fits nowhere is left out
 * (null): the mark still shows, the panel lists it.
 *
 * @param blocked Areas labels must not cover (corner text, orientation letters).
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  canvas: { width: number; height: number },
  blocked: readonly Box[],
): (Box | null)[] {
  const placed: Box[] = [];
  return requests.map(({ x, y, width, height }) => {
    const candidates: Box[] = [
      { left: x + OFFSET, top: y - OFFSET - height, right: x + OFFSET + width, bottom: y - OFFSET },
      { left: x + OFFSET, top: y + OFFSET, right: x + OFFSET + width, bottom: y + OFFSET + height },
      { left: x - OFFSET - width, top: y - OFFSET - height, right: x - OFFSET, bottom: y - OFFSET },
      { left: x - OFFSET - width, top: y + OFFSET, right: x - OFFSET, bottom: y + OFFSET + height },
    ];
    const fit = candidates.find(
      (box) =>
        box.left >= 0 &&
        box.top >= 0 &&
        box.right <= canvas.width &&
        box.bottom <= canvas.height &&
        !placed.some((other) => overlaps(box, other)) &&
        !blocked.some((area) => overlaps(box, area)),
    );
    if (fit) placed.push(fit);
    return fit ?? null;
  });
}

/**
 * The viewport's text that labels must keep clear of: the corner label and status at the top, the
 * readout at the bottom (full width, both corners) and the orientation letters at the edge middles.
 */
export function cornerTextAreas(width: number, height: number): Box[] {
  const corner = { width: 130, height: 40 };
  const edge = 22;
  return [
    { left: 0, top: 0, right: corner.width, bottom: corner.height },
    { left: width - corner.width, top: 0, right: width, bottom: corner.height },
    { left: 0, top: height - 22, right: width, bottom: height },
    { left: width / 2 - edge, top: 0, right: width / 2 + edge, bottom: edge },
    { left: 0, top: height / 2 - edge / 2, right: edge, bottom: height / 2 + edge / 2 },
    { left: width - edge, top: height / 2 - edge / 2, right: width, bottom: height / 2 + edge / 2 },
  ];
}
