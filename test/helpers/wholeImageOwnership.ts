/**
 * The editor's first rule for who owns a mask pixel, flooded over the whole image (renderer code
 * until the flood was limited to the finding's piece of the mask): the definition the piece flood
 * must equal. Kept verbatim.
 */
import { levelOfThreshold } from '../../renderer/editing/maskRaster.js';
import type { OwnedFinding } from '../../renderer/editing/tools/findingOwnership.js';

export function wholeImageOwnership(
  mask: Uint8Array,
  columns: number,
  map: Uint8Array,
  threshold: number,
  findings: readonly OwnedFinding[],
  gapPixels: number,
): Int32Array {
  const rows = mask.length / columns;
  const owner = new Int32Array(mask.length);
  const queue = new Int32Array(mask.length);
  let tail = 0;
  // Grown by half the gap on every side, two mask pixels `gapPixels` apart touch.
  const passable = dilate(mask, columns, rows, Math.max(0, Math.ceil(gapPixels / 2)));
  const floor = levelOfThreshold(threshold);
  for (const finding of [...findings].sort((a, b) => a.index - b.index)) {
    const { top, left, bottom, right } = finding.bounds;
    const seedsAt = (level: number): number[] => {
      const seeds: number[] = [];
      for (let row = Math.max(0, top); row <= Math.min(rows - 1, bottom); row++)
        for (let column = Math.max(0, left); column <= Math.min(columns - 1, right); column++) {
          const i = row * columns + column;
          if (mask[i] && !owner[i] && (map[i] ?? 0) >= level) seeds.push(i);
        }
      return seeds;
    };
    const halfPeak = Math.max(floor, Math.round((finding.maxProbability * 255) / 2));
    // Where the reader erased the core, what the mask still holds of the finding above threshold.
    const seeds = seedsAt(halfPeak).length ? seedsAt(halfPeak) : seedsAt(floor);
    for (const i of seeds) {
      owner[i] = finding.index;
      queue[tail++] = i;
    }
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const row = (i / columns) | 0;
    const column = i - row * columns;
    for (let r = Math.max(0, row - 1); r <= Math.min(rows - 1, row + 1); r++)
      for (let c = Math.max(0, column - 1); c <= Math.min(columns - 1, column + 1); c++) {
        const n = r * columns + c;
        if (!owner[n] && passable[n]) {
          owner[n] = owner[i]!;
          queue[tail++] = n;
        }
      }
  }
  // The gaps were crossed, not claimed: only mask pixels are owned.
  for (let i = 0; i < owner.length; i++) if (!mask[i]) owner[i] = 0;
  return owner;
}

/** The mask pixels a finding owns, ascending. */
export function pixelsOwnedIn(owner: Int32Array, index: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < owner.length; i++) if (owner[i] === index) count++;
  const pixels = new Uint32Array(count);
  for (let i = 0, k = 0; i < owner.length; i++) if (owner[i] === index) pixels[k++] = i;
  return pixels;
}

/** The mask grown by a (2r+1)-pixel square: separable running counts, linear in the image. */
function dilate(mask: Uint8Array, columns: number, rows: number, radius: number): Uint8Array {
  if (radius === 0) return Uint8Array.from(mask, (v) => (v ? 1 : 0));
  const across = new Uint8Array(mask.length);
  for (let row = 0; row < rows; row++) {
    const offset = row * columns;
    let inWindow = 0;
    for (let c = 0; c < Math.min(columns, radius); c++) if (mask[offset + c]) inWindow++;
    for (let column = 0; column < columns; column++) {
      const entering = column + radius;
      const leaving = column - radius - 1;
      if (entering < columns && mask[offset + entering]) inWindow++;
      if (leaving >= 0 && mask[offset + leaving]) inWindow--;
      across[offset + column] = inWindow > 0 ? 1 : 0;
    }
  }
  const grown = new Uint8Array(mask.length);
  for (let column = 0; column < columns; column++) {
    let inWindow = 0;
    for (let r = 0; r < Math.min(rows, radius); r++) if (across[r * columns + column]) inWindow++;
    for (let row = 0; row < rows; row++) {
      const entering = row + radius;
      const leaving = row - radius - 1;
      if (entering < rows && across[entering * columns + column]) inWindow++;
      if (leaving >= 0 && across[leaving * columns + column]) inWindow--;
      grown[row * columns + column] = inWindow > 0 ? 1 : 0;
    }
  }
  return grown;
}
