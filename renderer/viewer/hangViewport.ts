/** Puts a loaded image where the hanging wants it: mirrored if needed, chest wall against its edge. */
import type { Types } from '@cornerstonejs/core';
import { estimateChestWallSide } from '../../main/api/chestWallSide.js';
import { dicomValues } from './cornerstone.js';
import {
  type HangingAlignment,
  type OrientationLabels,
  needsHorizontalFlip,
  orientationLabels,
} from './hanging.js';

/** How an image is displayed: the viewer and the editor both use this, so they show the same. */
export interface DisplayOrientation {
  flip: boolean;
  labels: OrientationLabels | null;
}

/**
 * The display orientation of the image loaded in `viewport`: from its PatientOrientation, or
 * without one from where its tissue lies in the pixels (the breast's base is the brighter side).
 */
export function displayOrientationOf(
  viewport: Types.IStackViewport,
  laterality: 'R' | 'L' | null,
  view: string | null,
): DisplayOrientation {
  const imageId = viewport.getCurrentImageId();
  const patientOrientation = imageId ? dicomValues(imageId, 'PatientOrientation') : [];
  let tissueSide: 'left' | 'right' | null = null;
  if (!patientOrientation[0] && laterality) {
    const image = viewport.getCornerstoneImage();
    const monochrome1 = imageId
      ? dicomValues(imageId, 'PhotometricInterpretation')[0] === 'MONOCHROME1'
      : false;
    tissueSide = estimateChestWallSide(
      { width: image.columns, height: image.rows, samples: image.getPixelData() },
      monochrome1,
    );
  }
  const flip = needsHorizontalFlip(laterality, patientOrientation[0], tissueSide);
  return { flip, labels: orientationLabels(laterality, view, patientOrientation, flip) };
}

/**
 * Resets the camera, mirrors the image when `flip` says so, then pans it so the displayed image's
 * `align` edge touches the same edge of the viewport. The result becomes the viewport's initial
 * camera, so zoom and pan (and linked views) are measured from the hung position.
 */
export function hangViewport(viewport: Types.IStackViewport, align: HangingAlignment, flip: boolean): void {
  viewport.resetCamera();
  if (flip) viewport.setCamera({ flipHorizontal: true });
  const delta = align === 'center' ? 0 : edgeOffset(viewport, align);
  const pan = viewport.getPan();
  viewport.setPan([pan[0] + delta, pan[1]], true);
  viewport.render();
}

/** Canvas pixels to move the image right so its `align` edge meets the viewport's. */
function edgeOffset(viewport: Types.IStackViewport, align: 'left' | 'right'): number {
  const imageData = viewport.getImageData();
  if (!imageData) return 0;
  const toWorld = imageData.imageData.indexToWorld; // vtk.js methods are closures: no `this` needed
  if (!toWorld) return 0;
  const [columns = 0, rows = 0] = imageData.dimensions;
  const a = viewport.worldToCanvas(toWorld([-0.5, -0.5, 0]) as Types.Point3);
  const b = viewport.worldToCanvas(toWorld([columns - 0.5, rows - 0.5, 0]) as Types.Point3);
  const left = Math.min(a[0], b[0]);
  const right = Math.max(a[0], b[0]);
  const canvasWidth = viewport.canvas.clientWidth;
  if (right - left >= canvasWidth) return 0; // fills the width already
  return align === 'left' ? -left : canvasWidth - right;
}
