import { decode } from 'fast-png';
import { heatmapLut, colourise } from './colourMap.js';
import { MIN_FINDING_AREA_MM2, MIN_FINDING_AREA_PIXELS, WORKING_GRID_MAX_SIDE } from './constants.js';
import {
  type LevelRange,
  type MapRegion,
  type ProbabilityMap,
  type WorkingGrid,
  areaAtLevel,
  findRegions,
  levelHistogram,
  levelRange,
  maxPoolGrid,
  outlineSegments,
} from './probabilityMap.js';

/** What the viewer draws at one threshold level. */
export interface LevelView {
  level: number;
  /** Outline edges in working-grid units, `[x0, y0, x1, y1, ...]`. */
  outline: Float32Array;
  /** Regions at or above the level, strongest first, in map pixels. */
  findings: MapRegion[];
  /** Map pixels at or above the level. */
  areaPixels: number;
}

const LEVEL_CACHE = 4;

/**
 * A decoded probability map with what every threshold needs precomputed (histogram, working
 * grid) and what each threshold gives cached (outline, findings), shared by the overlay that
 * draws it and the panel that lists its findings.
 *
 * @example
 * const map = PreparedMap.decode(pngBytes, image.pixelSpacingMm, image.columns);
 * const { outline, findings, areaPixels } = map.at(thresholdLevel(0.3));
 */
export class PreparedMap {
  /** Heatmap colours by floor level (256 at most, 1 KiB each). */
  private static readonly luts = new Map<number, Uint8ClampedArray>();
  readonly histogram: Uint32Array;
  readonly levels: LevelRange;
  readonly grid: WorkingGrid;
  private readonly byLevel = new Map<number, LevelView>();
  private readonly minAreaPixels: number;

  constructor(
    readonly map: ProbabilityMap,
    /** [row, column] spacing of one map pixel in mm, or null. */
    readonly pixelSpacingMm: readonly [number, number] | null,
  ) {
    this.histogram = levelHistogram(map);
    this.levels = levelRange(this.histogram);
    this.grid = maxPoolGrid(map, WORKING_GRID_MAX_SIDE);
    this.minAreaPixels = pixelSpacingMm
      ? Math.max(1, Math.round(MIN_FINDING_AREA_MM2 / (pixelSpacingMm[0] * pixelSpacingMm[1])))
      : MIN_FINDING_AREA_PIXELS;
  }

  /**
   * Decodes the PNG the back end wrote (8-bit grayscale; other layouts are reduced to their first
   * channel's top 8 bits). `imageColumns` scales the image's spacing when the map is smaller.
   */
  static decode(
    png: Uint8Array,
    imageSpacingMm: readonly [number, number] | null,
    imageColumns: number,
  ): PreparedMap {
    const decoded = decode(png);
    const { width, height, channels, depth } = decoded;
    let data: Uint8Array;
    if (channels === 1 && depth === 8 && decoded.data instanceof Uint8Array) data = decoded.data;
    else {
      data = new Uint8Array(width * height);
      const shift = depth === 16 ? 8 : 0;
      for (let i = 0; i < data.length; i++) data[i] = (decoded.data[i * channels] ?? 0) >> shift;
    }
    const scale = imageColumns > 0 ? imageColumns / width : 1;
    const spacing = imageSpacingMm ? ([imageSpacingMm[0] * scale, imageSpacingMm[1] * scale] as const) : null;
    return new PreparedMap({ columns: width, rows: height, data }, spacing);
  }

  areaAt(level: number): number {
    return areaAtLevel(this.histogram, level);
  }

  /** Outline, findings and area at a level (the last few levels are cached). */
  at(level: number): LevelView {
    const cached = this.byLevel.get(level);
    if (cached) {
      this.byLevel.delete(level);
      this.byLevel.set(level, cached);
      return cached;
    }
    const view: LevelView = {
      level,
      outline: outlineSegments(this.grid, level),
      findings: findRegions(this.map, this.grid, level, this.pixelSpacingMm, this.minAreaPixels),
      areaPixels: this.areaAt(level),
    };
    this.byLevel.set(level, view);
    if (this.byLevel.size > LEVEL_CACHE) this.byLevel.delete(this.byLevel.keys().next().value!);
    return view;
  }

  /** RGBA pixels of the coloured heatmap at working-grid resolution (for an ImageData). */
  heatmapPixels(floorLevel = 0): Uint8ClampedArray<ArrayBuffer> {
    let lut = PreparedMap.luts.get(floorLevel);
    if (!lut) PreparedMap.luts.set(floorLevel, (lut = heatmapLut(floorLevel)));
    return colourise(this.grid.data, lut);
  }
}
