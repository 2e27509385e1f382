/** Bounding box of the breast in an image, in pixels (top/left inclusive, rows/columns sizes). */
export interface Region {
  top: number;
  left: number;
  rows: number;
  columns: number;
}

/**
 * Finds the breast: the largest connected area brighter than the background, searched on a
 * coarse grid for speed, then its bounding box grown by a margin. Film labels and markers are
 * smaller islands and are left out. Returns the whole image when nothing stands out.
 */
export function findBreastRegion(
  display: Uint8Array,
  rows: number,
  columns: number,
  { threshold = 20, marginFraction = 0.02, cell = 8 } = {},
): Region {
  const gridRows = Math.ceil(rows / cell);
  const gridColumns = Math.ceil(columns / cell);
  const foreground = new Uint8Array(gridRows * gridColumns);
  for (let gr = 0; gr < gridRows; gr++) {
    for (let gc = 0; gc < gridColumns; gc++) {
      // Centre sample of each cell; cheap and robust enough for a bounding box.
      const r = Math.min(rows - 1, gr * cell + (cell >> 1));
      const c = Math.min(columns - 1, gc * cell + (cell >> 1));
      foreground[gr * gridColumns + gc] = display[r * columns + c]! > threshold ? 1 : 0;
    }
  }
  const labels = new Int32Array(gridRows * gridColumns);
  const stack = new Int32Array(gridRows * gridColumns);
  let best = { size: 0, top: 0, left: 0, bottom: gridRows - 1, right: gridColumns - 1 };
  let label = 0;
  for (let start = 0; start < foreground.length; start++) {
    if (!foreground[start] || labels[start]) continue;
    label++;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = label;
    const box = { size: 0, top: gridRows, left: gridColumns, bottom: 0, right: 0 };
    while (sp) {
      const i = stack[--sp]!;
      const r = (i / gridColumns) | 0;
      const c = i - r * gridColumns;
      box.size++;
      box.top = Math.min(box.top, r);
      box.bottom = Math.max(box.bottom, r);
      box.left = Math.min(box.left, c);
      box.right = Math.max(box.right, c);
      for (const [dr, dc] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ] as const) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr < 0 || cc < 0 || rr >= gridRows || cc >= gridColumns) continue;
        const j = rr * gridColumns + cc;
        if (foreground[j] && !labels[j]) {
          labels[j] = label;
          stack[sp++] = j;
        }
      }
    }
    if (box.size > best.size) best = box;
  }
  if (best.size === 0) return { top: 0, left: 0, rows, columns };
  const margin = Math.round(Math.max(rows, columns) * marginFraction);
  const top = Math.max(0, best.top * cell - margin);
  const left = Math.max(0, best.left * cell - margin);
  const bottom = Math.min(rows, (best.bottom + 1) * cell + margin);
  const right = Math.min(columns, (best.right + 1) * cell + margin);
  return { top, left, rows: bottom - top, columns: right - left };
}
