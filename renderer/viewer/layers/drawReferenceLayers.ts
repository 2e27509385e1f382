/**
 * Drawing one viewport's reference layers: ground truth as the data set gives it (a real outline
 * solid, a box or a circle dashed, each labelled with its class and pathology), and the newest
 * saved correction as a tinted mask with its edge and the reader's added findings as crosses, all
 * placed through the viewport's camera like the AI overlay. A finding the reader outlined also
 * shows its extent.
 */
import type { Types } from '@cornerstonejs/core';
import type { AddedFinding } from '../../../main/api/annotations.js';
import type { GroundTruthFinding } from '../../../main/api/domain.js';
import { type Affine, affineScale, applyAffine, scaleAffine } from '../../ai/mapGeometry.js';
import type { MaskRaster } from '../../editing/maskRaster.js';
import { mapTransform } from '../ai/drawOverlay.js';
import { REFERENCE_LAYER_COLOURS, type SavedCorrection } from './referenceLayers.js';
import { outlineSegments, truthLabelLines } from './truthShapes.js';

/** A tinted mask is drawn from at most this many pixels on its longer side (a 4096 px mask would take 64 MB). */
const TINT_MAX_SIDE = 1024;
/** Alpha of the mask's inside; its edge is opaque. */
const TINT_INSIDE_ALPHA = 90;

export interface ReferenceScene {
  columns: number;
  rows: number;
  /** Ground-truth records of this image (shown), or null when the layer is hidden. */
  groundTruth: readonly GroundTruthFinding[] | null;
  /** Outline masks of ground-truth records, by record id, once loaded (a box stands in until then). */
  outlines: ReadonlyMap<number, MaskRaster>;
  /** The newest saved correction (shown), or null when hidden or there is none. */
  correction: SavedCorrection | null;
}

/** What one draw showed: ground-truth shapes by kind, image-level records, a correction. */
export interface ReferenceDrawn {
  circles: number;
  boxes: number;
  outlines: number;
  imageLevel: number;
  /** Each located record's label as drawn, its lines joined by " / ". */
  labels: string[];
  correction: boolean;
}

/** Whether a ground-truth record has a place on its image. */
function isLocated(finding: GroundTruthFinding): boolean {
  return Boolean(finding.circle ?? finding.box ?? finding.outlinePath);
}

/** Redraws the layer canvas (sized in device pixels, `dpr` per CSS pixel); returns what it drew. */
export function drawReferenceLayers(
  canvas: HTMLCanvasElement,
  viewport: Types.IStackViewport,
  scene: ReferenceScene,
  dpr: number,
): ReferenceDrawn {
  const drawn: ReferenceDrawn = {
    circles: 0,
    boxes: 0,
    outlines: 0,
    imageLevel: 0,
    labels: [],
    correction: false,
  };
  const context = canvas.getContext('2d');
  if (!context) return drawn;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  const toCanvas = mapTransform(viewport, scene.columns, scene.rows);
  if (!toCanvas) return drawn;
  const toDevice = scaleAffine(toCanvas, 1, 1, dpr);

  if (scene.correction) {
    drawMask(context, toDevice, scene.correction.mask, scene.columns, scene.rows);
    drawAddedFindings(context, toDevice, scene.correction.findings.added, dpr);
    drawn.correction = true;
  }
  const imageLevel = (scene.groundTruth ?? []).filter((finding) => !isLocated(finding));
  if (imageLevel.length) {
    // Records without a centre (spread calcifications) belong to the whole image: said at its top.
    const [x, y] = applyAffine(toDevice, scene.columns / 2, 0);
    context.save();
    context.font = `600 ${11 * dpr}px ui-monospace, monospace`;
    context.fillStyle = REFERENCE_LAYER_COLOURS.groundTruth;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    context.shadowColor = '#000';
    context.shadowBlur = 3 * dpr;
    context.fillText(
      `${imageLevel.map((finding) => truthLabelLines(finding)[0]).join(', ')}: whole image, no location`,
      x,
      Math.max(y, 0) + 28 * dpr,
    );
    context.restore();
    drawn.imageLevel = imageLevel.length;
  }
  for (const finding of scene.groundTruth ?? []) {
    if (!isLocated(finding)) continue;
    drawn.labels.push(drawTruthShape(context, toDevice, finding, scene.outlines, dpr, drawn));
  }
  return drawn;
}

// Traced once per outline mask, dropped with it.
const traced = new WeakMap<MaskRaster, Float32Array>();

/**
 * One located ground-truth record: its outline (solid) when loaded, else its box, else its circle
 * (dashed), labelled above it (below it when it reaches the top of the canvas). Returns the label.
 */
function drawTruthShape(
  context: CanvasRenderingContext2D,
  toDevice: Affine,
  finding: GroundTruthFinding,
  outlines: ReadonlyMap<number, MaskRaster>,
  dpr: number,
  drawn: ReferenceDrawn,
): string {
  const outline = finding.box ? outlines.get(finding.id) : undefined;
  // The shape's extent in image coordinates (pixel edges), for the label.
  let extent: { left: number; right: number; top: number; bottom: number };
  context.save();
  // The shape in image pixels, through the camera; stroked below in device pixels.
  context.setTransform(toDevice.a, toDevice.b, toDevice.c, toDevice.d, toDevice.e, toDevice.f);
  context.beginPath();
  if (outline && finding.box) {
    let segments = traced.get(outline);
    if (!segments) {
      segments = outlineSegments(outline, finding.box);
      traced.set(outline, segments);
    }
    for (let i = 0; i < segments.length; i += 4) {
      context.moveTo(segments[i]!, segments[i + 1]!);
      context.lineTo(segments[i + 2]!, segments[i + 3]!);
    }
    extent = boxExtent(finding.box);
    drawn.outlines++;
  } else if (finding.box) {
    const { left, top, width, height } = finding.box;
    context.rect(left, top, width, height);
    extent = boxExtent(finding.box);
    drawn.boxes++;
  } else {
    // Circles are in pixel-centre coordinates (mini-MIAS): the centre pixel's middle is +0.5.
    const { centerColumn, centerRow, radius } = finding.circle!;
    context.arc(centerColumn + 0.5, centerRow + 0.5, radius, 0, 2 * Math.PI);
    extent = {
      left: centerColumn + 0.5 - radius,
      right: centerColumn + 0.5 + radius,
      top: centerRow + 0.5 - radius,
      bottom: centerRow + 0.5 + radius,
    };
    drawn.circles++;
  }
  context.restore();
  context.save();
  context.strokeStyle = REFERENCE_LAYER_COLOURS.groundTruth;
  context.lineWidth = 2 * dpr;
  // Solid: the lesion's own edge. Dashed: a box or circle around it.
  context.setLineDash(outline ? [] : [6 * dpr, 4 * dpr]);
  context.stroke();

  const lines = truthLabelLines(finding);
  const lineHeight = 13 * dpr;
  const [x, above] = applyAffine(toDevice, (extent.left + extent.right) / 2, extent.top);
  const below = applyAffine(toDevice, (extent.left + extent.right) / 2, extent.bottom)[1];
  const fitsAbove = above - 3 * dpr - lines.length * lineHeight >= 0;
  context.font = `600 ${11 * dpr}px ui-monospace, monospace`;
  context.fillStyle = REFERENCE_LAYER_COLOURS.groundTruth;
  context.textAlign = 'center';
  context.shadowColor = '#000';
  context.shadowBlur = 3 * dpr;
  context.textBaseline = fitsAbove ? 'bottom' : 'top';
  lines.forEach((line, index) => {
    const y = fitsAbove
      ? above - 3 * dpr - (lines.length - 1 - index) * lineHeight
      : below + 3 * dpr + index * lineHeight;
    context.fillText(line, x, y);
  });
  context.restore();
  return lines.join(' / ');
}

function boxExtent(box: { left: number; top: number; width: number; height: number }): {
  left: number;
  right: number;
  top: number;
  bottom: number;
} {
  return { left: box.left, right: box.left + box.width, top: box.top, bottom: box.top + box.height };
}

// Built once per mask, dropped with it.
const tints = new WeakMap<MaskRaster, HTMLCanvasElement>();

function drawMask(
  context: CanvasRenderingContext2D,
  toDevice: Affine,
  mask: MaskRaster,
  columns: number,
  rows: number,
): void {
  let tint = tints.get(mask);
  if (!tint) {
    tint = tintCanvas(mask);
    tints.set(mask, tint);
  }
  // The tint's pixels -> image pixels (a mask at another size than the image is stretched over it).
  const t = scaleAffine(toDevice, columns / tint.width, rows / tint.height);
  context.save();
  context.imageSmoothingEnabled = affineScale(t) > 1;
  context.setTransform(t.a, t.b, t.c, t.d, t.e, t.f);
  context.drawImage(tint, 0, 0);
  context.restore();
}

/** The mask, reduced to at most TINT_MAX_SIDE (a block is inside when any pixel is), tinted with an opaque edge. */
function tintCanvas(mask: MaskRaster): HTMLCanvasElement {
  const step = Math.max(1, Math.ceil(Math.max(mask.columns, mask.rows) / TINT_MAX_SIDE));
  const width = Math.ceil(mask.columns / step);
  const height = Math.ceil(mask.rows / step);
  const inside = new Uint8Array(width * height);
  for (let row = 0; row < mask.rows; row++)
    for (let column = 0; column < mask.columns; column++)
      if (mask.data[row * mask.columns + column])
        inside[((row / step) | 0) * width + ((column / step) | 0)] = 1;
  const [r, g, b] = rgbOf(REFERENCE_LAYER_COLOURS.corrections);
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!inside[i]) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !inside[i - 1] ||
        !inside[i + 1] ||
        !inside[i - width] ||
        !inside[i + width];
      pixels.set([r, g, b, edge ? 255 : TINT_INSIDE_ALPHA], i * 4);
    }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')?.putImageData(new ImageData(pixels, width, height), 0, 0);
  return canvas;
}

function drawAddedFindings(
  context: CanvasRenderingContext2D,
  toDevice: Affine,
  added: readonly AddedFinding[],
  dpr: number,
): void {
  context.save();
  context.strokeStyle = REFERENCE_LAYER_COLOURS.corrections;
  context.lineWidth = 2 * dpr;
  const arm = 7 * dpr;
  // Added findings are in continuous image coordinates already (the editor's).
  for (const finding of added) {
    if (finding.extent) {
      const { top, left, bottom, right } = finding.extent;
      context.save();
      context.setTransform(toDevice.a, toDevice.b, toDevice.c, toDevice.d, toDevice.e, toDevice.f);
      context.beginPath();
      context.rect(left, top, right - left, bottom - top);
      context.restore();
      context.stroke();
    }
    const [x, y] = applyAffine(toDevice, finding.centroidColumn, finding.centroidRow);
    context.beginPath();
    context.moveTo(x - arm, y - arm);
    context.lineTo(x + arm, y + arm);
    context.moveTo(x + arm, y - arm);
    context.lineTo(x - arm, y + arm);
    context.stroke();
  }
  context.restore();
}

function rgbOf(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
