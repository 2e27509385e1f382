/**
 * Drawing one viewport's reference layers: ground-truth circles as rings, and the newest saved
 * correction as a tinted mask with its edge and the reader's added findings as crosses, all
 * placed through the viewport's camera like the AI overlay. A finding the reader
 * outlined also shows its extent.
 */
import type { Types } from '@cornerstonejs/core';
import type { AddedFinding } from '../../../main/api/annotations.js';
import type { GroundTruthFinding } from '../../../main/api/domain.js';
import { type Affine, affineScale, applyAffine, scaleAffine } from '../../ai/mapGeometry.js';
import type { MaskRaster } from '../../editing/maskRaster.js';
import { mapTransform } from '../ai/drawOverlay.js';
import { REFERENCE_LAYER_COLOURS, type SavedCorrection } from './referenceLayers.js';

/** A tinted mask is drawn from at most this many pixels on its longer side (a 4096 px mask would take 64 MB). */
const TINT_MAX_SIDE = 1024;
/** Alpha of the mask's inside; its edge is opaque. */
const TINT_INSIDE_ALPHA = 90;

export interface ReferenceScene {
  columns: number;
  rows: number;
  /** Ground-truth records of this image (shown), or null when the layer is hidden. */
  groundTruth: readonly GroundTruthFinding[] | null;
  /** The newest saved correction (shown), or null when hidden or there is none. */
  correction: SavedCorrection | null;
}

/** What one draw showed: ground-truth circles, image-level ground-truth records, a correction. */
export interface ReferenceDrawn {
  circles: number;
  imageLevel: number;
  correction: boolean;
}

/** A ground-truth record as its label reads: class and severity, e.g. "CIRC B". */
function truthLabel(finding: GroundTruthFinding): string {
  return `${finding.abnormalityClass}${finding.severity ? ` ${finding.severity}` : ''}`;
}

/** Redraws the layer canvas (sized in device pixels, `dpr` per CSS pixel); returns what it drew. */
export function drawReferenceLayers(
  canvas: HTMLCanvasElement,
  viewport: Types.IStackViewport,
  scene: ReferenceScene,
  dpr: number,
): ReferenceDrawn {
  const drawn: ReferenceDrawn = { circles: 0, imageLevel: 0, correction: false };
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
  const imageLevel = (scene.groundTruth ?? []).filter((finding) => !finding.circle);
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
      `${imageLevel.map(truthLabel).join(', ')}: whole image, no location`,
      x,
      Math.max(y, 0) + 28 * dpr,
    );
    context.restore();
    drawn.imageLevel = imageLevel.length;
  }
  for (const finding of scene.groundTruth ?? []) {
    if (!finding.circle) continue;
    const { centerColumn, centerRow, radius } = finding.circle;
    context.save();
    // The circle in image pixels (pixel centres at +0.5), through the camera; stroked in device pixels.
    context.setTransform(toDevice.a, toDevice.b, toDevice.c, toDevice.d, toDevice.e, toDevice.f);
    context.beginPath();
    context.arc(centerColumn + 0.5, centerRow + 0.5, radius, 0, 2 * Math.PI);
    context.restore();
    context.save();
    context.strokeStyle = REFERENCE_LAYER_COLOURS.groundTruth;
    context.lineWidth = 2 * dpr;
    context.setLineDash([6 * dpr, 4 * dpr]);
    context.stroke();
    const [x, y] = applyAffine(toDevice, centerColumn + 0.5, centerRow - radius);
    context.font = `600 ${11 * dpr}px ui-monospace, monospace`;
    context.fillStyle = REFERENCE_LAYER_COLOURS.groundTruth;
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    context.fillText(truthLabel(finding), x, y - 3 * dpr);
    context.restore();
    drawn.circles++;
  }
  return drawn;
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
