/** One tile of a tiled prediction: where it reads from the (padded) input. */
export interface Tile {
  top: number;
  left: number;
}

export interface TilePlan {
  tileSize: number;
  tiles: Tile[];
  /** Input size after padding up so every tile lies inside it. */
  paddedRows: number;
  paddedColumns: number;
}

/**
 * Covers a rows x columns image with square tiles of `tileSize` overlapping by at least
 * `overlap`. An image that fits in one tile (rounded up to `multiple`) gets a single tile of
 * its own padded size, so small images run whole.
 */
export function planTiles(
  rows: number,
  columns: number,
  tileSize: number,
  overlap: number,
  multiple = 32,
): TilePlan {
  const roundUp = (n: number) => Math.ceil(n / multiple) * multiple;
  if (rows <= tileSize && columns <= tileSize) {
    const size = Math.max(roundUp(rows), roundUp(columns));
    return { tileSize: size, tiles: [{ top: 0, left: 0 }], paddedRows: size, paddedColumns: size };
  }
  const starts = (length: number): number[] => {
    if (length <= tileSize) return [0];
    const count = Math.ceil((length - overlap) / (tileSize - overlap));
    const step = (length - tileSize) / (count - 1);
    return Array.from({ length: count }, (_, i) => Math.round(i * step));
  };
  const tiles: Tile[] = [];
  for (const top of starts(rows)) for (const left of starts(columns)) tiles.push({ top, left });
  return {
    tileSize,
    tiles,
    paddedRows: Math.max(rows, tileSize),
    paddedColumns: Math.max(columns, tileSize),
  };
}

/**
 * Blending weights for one tile: a separable ramp that falls towards the tile's edges, so
 * overlapping tiles cross-fade and no seam shows where the network's border effects are worst.
 */
export function blendWindow(size: number): Float32Array {
  const ramp = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const distance = Math.min(i + 0.5, size - i - 0.5) / (size / 2); // 0 at the edge, 1 in the middle
    ramp[i] = Math.max(1e-3, Math.min(1, distance * 2));
  }
  const window = new Float32Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) window[r * size + c] = ramp[r]! * ramp[c]!;
  return window;
}
