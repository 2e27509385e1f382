import { deflateSync, inflateSync } from 'node:zlib';

/**
 * How a training sample's pixels are held while a run lasts. A trainer keeps every sample it draws
 * crops from; decoded, a 0.2 mm CBIS-DDSM scan and its mask take about 2 MB, so a site fine-tune
 * replaying a thousand of them held 2 GB. These keep the same pixels compactly and give back any
 * window exactly as the decoded arrays would.
 */

/** A square window of an 8-bit raster; outside the raster it is 0 (black). */
export interface RasterWindow {
  window(top: number, left: number, side: number): Uint8Array;
}

/** Rows per deflated band: a 512-row crop inflates 9 or 10 bands of the scan, not all of it. */
const BAND_ROWS = 64;

/**
 * An 8-bit scan deflated in bands of rows (about 30% of its bytes on mammograms at level 1). A
 * window inflates only the bands it covers (about 5 ms for a 512 px window of a 0.2 mm scan).
 */
export class DeflatedRaster implements RasterWindow {
  private constructor(
    readonly rows: number,
    readonly columns: number,
    private readonly bands: readonly Uint8Array[],
  ) {}

  static from(pixels: Uint8Array, rows: number, columns: number): DeflatedRaster {
    const bands: Uint8Array[] = [];
    const bandLength = BAND_ROWS * columns;
    for (let offset = 0; offset < rows * columns; offset += bandLength)
      bands.push(deflateSync(pixels.subarray(offset, offset + bandLength), { level: 1 }));
    return new DeflatedRaster(rows, columns, bands);
  }

  window(top: number, left: number, side: number): Uint8Array {
    const { rows, columns } = this;
    const out = new Uint8Array(side * side);
    const first = Math.max(0, top);
    const last = Math.min(rows, top + side); // exclusive
    const fromColumn = Math.max(0, left);
    const toColumn = Math.min(columns, left + side); // exclusive
    if (first >= last || fromColumn >= toColumn) return out;
    for (let band = Math.floor(first / BAND_ROWS); band * BAND_ROWS < last; band++) {
      const pixels = inflateSync(this.bands[band]!);
      const bandTop = band * BAND_ROWS;
      for (let r = Math.max(first, bandTop); r < Math.min(last, bandTop + BAND_ROWS); r++) {
        const source = (r - bandTop) * columns;
        out.set(
          pixels.subarray(source + fromColumn, source + toColumn),
          (r - top) * side + fromColumn - left,
        );
      }
    }
    return out;
  }
}

/** A binary label (255 inside) whose set pixels can be drawn by their rank in raster order. */
export interface LabelPixels extends RasterWindow {
  /** How many pixels are set. */
  readonly count: number;
  /** Flat index (row x columns + column) of the k-th set pixel in raster order, 0 <= k < count. */
  pixelAt(k: number): number;
}

/**
 * A binary mask as runs of set pixels along its rows: a lesion label is a few hundred runs where
 * the decoded mask is a byte per pixel and its list of set pixels four bytes per set pixel.
 */
export class MaskRuns implements LabelPixels {
  private constructor(
    private readonly rows: number,
    private readonly columns: number,
    /** Flat index of each run's first pixel, ascending; a run never crosses the end of a row. */
    private readonly starts: Int32Array,
    /** Flat index just past each run's last pixel. */
    private readonly ends: Int32Array,
    /** Set pixels before each run, so the k-th set pixel is found by bisection. */
    private readonly before: Int32Array,
    readonly count: number,
  ) {}

  /** The runs of `inside(i)` over a rows x columns raster. */
  static from(rows: number, columns: number, inside: (i: number) => boolean): MaskRuns {
    const starts: number[] = [];
    const ends: number[] = [];
    const before: number[] = [];
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const rowEnd = (r + 1) * columns;
      for (let i = r * columns; i < rowEnd; i++) {
        if (!inside(i)) continue;
        const start = i;
        while (i < rowEnd && inside(i)) i++;
        starts.push(start);
        ends.push(i);
        before.push(count);
        count += i - start;
      }
    }
    return new MaskRuns(
      rows,
      columns,
      Int32Array.from(starts),
      Int32Array.from(ends),
      Int32Array.from(before),
      count,
    );
  }

  pixelAt(k: number): number {
    // The last run with fewer than k + 1 set pixels before it holds the k-th.
    let low = 0;
    let high = this.before.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.before[middle]! <= k) low = middle;
      else high = middle - 1;
    }
    return this.starts[low]! + (k - this.before[low]!);
  }

  window(top: number, left: number, side: number): Uint8Array {
    const { rows, columns, starts, ends } = this;
    const out = new Uint8Array(side * side);
    const fromColumn = Math.max(0, left);
    const toColumn = Math.min(columns, left + side);
    if (fromColumn >= toColumn) return out;
    for (let r = Math.max(0, top); r < Math.min(rows, top + side); r++) {
      const low = r * columns + fromColumn;
      const high = r * columns + toColumn;
      // The first run that ends past `low`.
      let run = 0;
      let last = ends.length;
      while (run < last) {
        const middle = (run + last) >> 1;
        if (ends[middle]! <= low) run = middle + 1;
        else last = middle;
      }
      const offset = (r - top) * side - left - r * columns;
      for (; run < ends.length && starts[run]! < high; run++)
        out.fill(255, Math.max(starts[run]!, low) + offset, Math.min(ends[run]!, high) + offset);
    }
    return out;
  }
}
