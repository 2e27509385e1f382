/**
 * The Cornerstone3D side of the mask editor: one labelmap segmentation on one stack viewport,
 * the editing tools bound to it, and plain-array access to its pixels for undo, drafts and saving.
 */
import { cache, eventTarget, imageLoader, type Types } from '@cornerstonejs/core';
import {
  BrushTool,
  Enums as ToolEnums,
  PanTool,
  RectangleScissorsTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  addTool,
  segmentation,
  utilities as toolUtilities,
} from '@cornerstonejs/tools';
import { EDIT_TOOL_NAMES, MASK_SEGMENT_INDEX } from './constants.js';
import type { EditTool } from './tools/EditorTool.js';

export type { EditTool };

/** Tools that Cornerstone runs (the rest are the editor's own overlay). */
const CORNERSTONE_TOOLS: Partial<Record<EditTool, string>> = {
  brush: EDIT_TOOL_NAMES.brush,
  eraser: EDIT_TOOL_NAMES.eraser,
  thresholdBrush: EDIT_TOOL_NAMES.thresholdBrush,
  rectangleScissors: EDIT_TOOL_NAMES.rectangleScissors,
  pan: PanTool.toolName,
  windowLevel: WindowLevelTool.toolName,
};

let toolsAdded = false;

/** Registers the tool classes the editor uses (once per page; StrictMode runs effects twice). */
function addEditingTools(): void {
  if (toolsAdded) return;
  toolsAdded = true;
  for (const tool of [BrushTool, RectangleScissorsTool]) addTool(tool);
}

let nextSession = 1;

/**
 * One editable labelmap over one image.
 *
 * @example
 * const session = LabelmapSession.create(viewport);
 * session.write(aiMask);          // 0/1 per pixel
 * session.setTool('brush');
 * session.onEdited(() => history.push(diffMasks(previous, session.read(), 'brush')));
 */
export class LabelmapSession {
  readonly segmentationId: string;
  readonly toolGroupId: string;
  private readonly labelmapImageId: string;
  private readonly listeners = new Set<() => void>();
  private pointerDown = false;
  private timer = 0;

  private constructor(
    readonly viewport: Types.IStackViewport,
    readonly columns: number,
    readonly rows: number,
  ) {
    addEditingTools();
    const id = nextSession++;
    this.segmentationId = `mammo-edit-${id}`;
    this.toolGroupId = `mammo-edit-tools-${id}`;
    const imageId = viewport.getCurrentImageId();
    if (!imageId) throw new Error('the viewport has no image');
    const [labelmap] = imageLoader.createAndCacheDerivedLabelmapImages([imageId]);
    if (!labelmap) throw new Error('could not create a labelmap');
    this.labelmapImageId = labelmap.imageId;

    const group = ToolGroupManager.createToolGroup(this.toolGroupId)!;
    group.addTool(PanTool.toolName);
    group.addTool(WindowLevelTool.toolName);
    group.addTool(ZoomTool.toolName);
    group.addToolInstance(EDIT_TOOL_NAMES.brush, BrushTool.toolName, {
      activeStrategy: 'FILL_INSIDE_CIRCLE',
    });
    group.addToolInstance(EDIT_TOOL_NAMES.eraser, BrushTool.toolName, {
      activeStrategy: 'ERASE_INSIDE_CIRCLE',
    });
    // The threshold brush is a fill brush whose new pixels the editor keeps only within the
    // intensity range (filterByIntensity): one code path in modality units, independent of the
    // threshold strategy's preview and configuration.
    group.addToolInstance(EDIT_TOOL_NAMES.thresholdBrush, BrushTool.toolName, {
      activeStrategy: 'FILL_INSIDE_CIRCLE',
    });
    group.addToolInstance(EDIT_TOOL_NAMES.rectangleScissors, RectangleScissorsTool.toolName, {});
    group.addViewport(viewport.id, viewport.getRenderingEngine().id);
    group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
    group.setToolActive(ZoomTool.toolName, {
      bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }],
    });

    segmentation.addSegmentations([
      {
        segmentationId: this.segmentationId,
        representation: {
          type: ToolEnums.SegmentationRepresentations.Labelmap,
          data: { imageIds: [this.labelmapImageId] },
        },
      },
    ]);
    segmentation.addLabelmapRepresentationToViewport(viewport.id, [{ segmentationId: this.segmentationId }]);
    segmentation.activeSegmentation.setActiveSegmentation(viewport.id, this.segmentationId);
    segmentation.segmentIndex.setActiveSegmentIndex(this.segmentationId, MASK_SEGMENT_INDEX);

    viewport.element.addEventListener('pointerdown', this.onPointerDown, true);
    window.addEventListener('pointerup', this.onPointerUp, true);
    eventTarget.addEventListener(ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, this.onModified);
  }

  /** Adds an editable labelmap to a viewport whose image is loaded. */
  static create(viewport: Types.IStackViewport): LabelmapSession {
    const image = viewport.getCornerstoneImage();
    return new LabelmapSession(viewport, image.columns, image.rows);
  }

  /** Called once each user edit has finished (a stroke, a scissors rectangle). */
  onEdited(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy of the labelmap: 0 outside, 1 inside, row-major at the image's resolution. */
  read(): Uint8Array {
    const pixels = this.pixels();
    return Uint8Array.from(pixels, (v) => (v ? 1 : 0));
  }

  /** Replaces the labelmap with `mask` (0/1), writing only the pixels that differ. */
  write(mask: Uint8Array): void {
    const image = this.image();
    const pixels = image.getPixelData();
    const voxels = image.voxelManager;
    for (let i = 0; i < mask.length; i++) {
      const value = mask[i] ? MASK_SEGMENT_INDEX : 0;
      if (pixels[i] === value) continue;
      if (voxels) voxels.setAtIndex(i, value);
      else pixels[i] = value;
    }
    this.changed();
  }

  /** Tells Cornerstone the pixels changed (after a direct write), so it redraws. */
  changed(): void {
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(
      this.segmentationId,
      [0],
      MASK_SEGMENT_INDEX,
    );
    this.viewport.render();
  }

  /** The live pixel array (write through {@link write} or call {@link changed} afterwards). */
  pixels(): ArrayLike<number> & { [index: number]: number } {
    return this.image().getPixelData();
  }

  /** Binds the left button to a tool; the editor's own overlay tools leave Cornerstone's passive. */
  setTool(tool: EditTool): void {
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (!group) return;
    for (const name of Object.values(CORNERSTONE_TOOLS)) {
      if (name === PanTool.toolName) {
        group.setToolActive(name, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
      } else group.setToolPassive(name, { removeAllBindings: true });
    }
    const name = CORNERSTONE_TOOLS[tool];
    if (!name) return;
    const bindings = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
    if (name === PanTool.toolName) bindings.push({ mouseButton: ToolEnums.MouseBindings.Auxiliary });
    group.setToolActive(name, { bindings });
  }

  /** Brush, eraser and threshold brush radius, in millimetres. */
  setBrushMm(radiusMm: number): void {
    toolUtilities.segmentation.setBrushSizeForToolGroup(this.toolGroupId, radiusMm);
  }

  /**
   * Keeps, of the pixels `after` has inside and `before` has not, only those whose scan value
   * (modality units) lies in [lower, upper]; returns how many it took out. For the threshold brush.
   */
  filterByIntensity(before: Uint8Array, after: Uint8Array, lower: number, upper: number): number {
    const image = this.viewport.getCornerstoneImage();
    const scan = image.getPixelData();
    const slope = image.slope || 1;
    const intercept = image.intercept || 0;
    let removed = 0;
    for (let i = 0; i < after.length; i++) {
      if (!after[i] || before[i]) continue;
      const value = scan[i]! * slope + intercept;
      if (value < lower || value > upper) {
        after[i] = 0;
        removed++;
      }
    }
    return removed;
  }

  /** Image pixel (column, row) under a canvas point (CSS pixels of the viewport element). */
  canvasToPixel(x: number, y: number): [number, number] | null {
    const imageData = this.viewport.getImageData();
    if (!imageData) return null;
    const toIndex = imageData.imageData.worldToIndex; // vtk.js methods are closures
    if (!toIndex) return null;
    const index = toIndex(this.viewport.canvasToWorld([x, y])) as number[];
    return [(index[0] ?? 0) + 0.5, (index[1] ?? 0) + 0.5];
  }

  /** Canvas point of an image pixel position (column, row as continuous coordinates). */
  pixelToCanvas(column: number, row: number): [number, number] | null {
    const imageData = this.viewport.getImageData();
    if (!imageData) return null;
    const toWorld = imageData.imageData.indexToWorld;
    if (!toWorld) return null;
    const point = this.viewport.worldToCanvas(toWorld([column - 0.5, row - 0.5, 0]) as Types.Point3);
    return [point[0], point[1]];
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    this.viewport.element.removeEventListener('pointerdown', this.onPointerDown, true);
    window.removeEventListener('pointerup', this.onPointerUp, true);
    eventTarget.removeEventListener(ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, this.onModified);
    this.listeners.clear();
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    segmentation.removeSegmentation(this.segmentationId);
    cache.removeImageLoadObject(this.labelmapImageId, { force: true });
  }

  private image(): Types.IImage {
    const image = cache.getImage(this.labelmapImageId);
    if (!image) throw new Error('the labelmap is gone');
    return image;
  }

  private readonly onPointerDown = (): void => {
    this.pointerDown = true;
  };

  private readonly onPointerUp = (): void => {
    if (!this.pointerDown) return;
    this.pointerDown = false;
    this.notifySoon();
  };

  private readonly onModified = (event: Event): void => {
    const detail = (event as CustomEvent<{ segmentationId?: string }>).detail;
    if (detail?.segmentationId !== this.segmentationId || this.pointerDown) return;
    this.notifySoon();
  };

  /** Strokes end on mouseup, after pointerup: let Cornerstone finish before reading the pixels. */
  private notifySoon(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      for (const listener of this.listeners) listener();
    }, 40);
  }
}
