/**
 * What the correction editor takes over from the reading view, so the reader keeps looking at the
 * same place: the zoom (relative to the image fitted in its view), the image point at the view's
 * centre, and invert.
 */
import { utilities as csUtils, type Types } from '@cornerstonejs/core';

export interface ViewState {
  /** Magnification relative to the image fitted in the view (1: fitted). */
  zoom: number;
  /** The image pixel (column, row) at the view's centre. */
  centre: [number, number] | null;
  invert: boolean;
}

/** The view state of a stack viewport showing one image. */
export function readViewState(viewport: Types.IStackViewport): ViewState {
  const imageId = viewport.getCurrentImageId();
  const { focalPoint } = viewport.getCamera();
  const centre = imageId && focalPoint ? csUtils.worldToImageCoords(imageId, focalPoint) : null;
  return {
    zoom: viewport.getZoom(),
    centre: centre ? [centre[0], centre[1]] : null,
    invert: viewport.getProperties().invert ?? false,
  };
}

/**
 * Shows a viewport (already fitted and hung) as the state says. The centre moves only for a
 * magnified view: at the fitted zoom the reading view's centre is its hanging alignment (the breast
 * against the chest-wall side of a narrow cell), which a larger, centred view must not copy.
 */
export function applyViewState(viewport: Types.IStackViewport, state: ViewState): void {
  const imageId = viewport.getCurrentImageId();
  if (state.zoom > 0 && Number.isFinite(state.zoom)) viewport.setZoom(state.zoom);
  if (imageId && state.centre && state.zoom > 1.001) {
    const target = csUtils.imageToWorldCoords(imageId, state.centre);
    const { focalPoint, position } = viewport.getCamera();
    if (target && focalPoint && position) {
      const shift = [0, 1, 2].map((axis) => target[axis]! - focalPoint[axis]!);
      viewport.setCamera({
        focalPoint: target as Types.Point3,
        position: position.map((value, axis) => value + shift[axis]!) as Types.Point3,
      });
    }
  }
  viewport.setProperties({ invert: state.invert });
  viewport.render();
}
