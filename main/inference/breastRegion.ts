/** Bounding box of the breast in an image, in pixels (top/left inclusive, rows/columns sizes). */
export interface Region {
  top: number;
  left: number;
  rows: number;
  columns: number;
}

/** The breast as a coarse mask: grid cells of `cell` x `cell` pixels, 1 inside the breast. */
export interface BreastMask {
  cell: number;
  gridRows: number;
  gridColumns: number;
  cells: Uint8Array;
}

/** Whether pixel (row, column) lies in the breast mask. */
export function insideBreast(mask: BreastMask, row: number, column: number): boolean {
  return mask.cells[((row / mask.cell) | 0) * mask.gridColumns + ((column / mask.cell) | 0)] === 1;
}

/** Display levels at or below this are film background, not tissue. */
export const BACKGROUND_LEVEL = 20;

/**
 * Finds the breast: the largest connected area brighter than the background, searched on a
 * coarse grid for speed, with its holes filled and grown by one cell (the mask), and the mask's
 * bounding box grown by a margin (the region; the whole image when nothing stands out). Film
 * labels and markers are smaller islands and fall outside both, even inside the bounding box.
 */
export function findBreast(
  display: Uint8Array,
  rows: number,
  columns: number,
  { threshold = BACKGROUND_LEVEL, marginFraction = 0.02, cell = 8 } = {},
): { region: Region; mask: BreastMask } {
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
  let best = { size: 0, top: 0, left: 0, bottom: gridRows - 1, right: gridColumns - 1, label: 0 };
  let label = 0;
  for (let start = 0; start < foreground.length; start++) {
    if (!foreground[start] || labels[start]) continue;
    label++;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = label;
    const box = { size: 0, top: gridRows, left: gridColumns, bottom: 0, right: 0, label };
    while (sp) {
      const i = stack[--sp]!;
      const r = (i / gridColumns) | 0;
      const c = i - r * gridColumns;
      box.size++;
      box.top = Math.min(box.top, r);
      box.bottom = Math.max(box.bottom, r);
      box.left = Math.min(box.left, c);
      box.right = Math.max(box.right, c);
      for (const [dr, dc] of NEIGHBOURS) {
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
  const gridSize = { cell, gridRows, gridColumns };
  if (best.size === 0) {
    return {
      region: { top: 0, left: 0, rows, columns },
      mask: { ...gridSize, cells: new Uint8Array(gridRows * gridColumns).fill(1) },
    };
  }
  const margin = Math.round(Math.max(rows, columns) * marginFraction);
  const top = Math.max(0, best.top * cell - margin);
  const left = Math.max(0, best.left * cell - margin);
  const bottom = Math.min(rows, (best.bottom + 1) * cell + margin);
  const right = Math.min(columns, (best.right + 1) * cell + margin);
  return {
    region: { top, left, rows: bottom - top, columns: right - left },
    mask: {
      ...gridSize,
      cells: grow(
        fillHoles(
          Uint8Array.from(labels, (l) => (l === best.label ? 1 : 0)),
          gridRows,
          gridColumns,
        ),
        gridRows,
        gridColumns,
      ),
    },
  };
}

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/** Sets every cell that the outside (the grid's border) cannot reach through empty cells. */
function fillHoles(cells: Uint8Array, gridRows: number, gridColumns: number): Uint8Array {
  const outside = new Uint8Array(cells.length);
  const stack: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const r = (i / gridColumns) | 0;
    const c = i - r * gridColumns;
    const onBorder = r === 0 || c === 0 || r === gridRows - 1 || c === gridColumns - 1;
    if (onBorder && !cells[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  }
  while (stack.length) {
    const i = stack.pop()!;
    const r = (i / gridColumns) | 0;
    const c = i - r * gridColumns;
    for (const [dr, dc] of NEIGHBOURS) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr < 0 || cc < 0 || rr >= gridRows || cc >= gridColumns) continue;
      const j = rr * gridColumns + cc;
      if (!cells[j] && !outside[j]) {
        outside[j] = 1;
        stack.push(j);
      }
    }
  }
  return outside.map((o) => (o ? 0 : 1));
}

/** Grows a mask by one cell in every direction (the skin line's partial cells). */
function grow(cells: Uint8Array, gridRows: number, gridColumns: number): Uint8Array {
  const out = cells.slice();
  for (let r = 0; r < gridRows; r++) {
    for (let c = 0; c < gridColumns; c++) {
      if (!cells[r * gridColumns + c]) continue;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr >= 0 && cc >= 0 && rr < gridRows && cc < gridColumns) out[rr * gridColumns + cc] = 1;
        }
      }
    }
  }
  return out;
}
