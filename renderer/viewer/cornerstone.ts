/**
 * One-time set-up of Cornerstone3D: the rendering core, the DICOM image loader (decode workers)
 * and the tools the viewer binds. Guarded, because React StrictMode runs effects twice.
 */
import { init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader, wadouri } from '@cornerstonejs/dicom-image-loader';
import { PanTool, WindowLevelTool, ZoomTool, addTool, init as initTools } from '@cornerstonejs/tools';

let ready: Promise<void> | null = null;

/** Resolves once Cornerstone can render; later calls share the first. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    initCore();
    initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1)) });
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool]) addTool(tool);
  })();
  return ready;
}

/** The Cornerstone image id of a DICOM served at `url`. */
export function wadoUriImageId(url: string): string {
  return `wadouri:${url}`;
}

/**
 * A string attribute of an image already loaded by the wadouri loader, e.g. PatientOrientation
 * (`x00200020`). Null when absent or not loaded.
 */
export function loadedDicomString(imageId: string, tag: string): string | null {
  const uri = imageId.replace(/^wadouri:/, '');
  if (!wadouri.dataSetCacheManager.isLoaded(uri)) return null;
  return wadouri.dataSetCacheManager.get(uri).string(tag)?.trim() || null;
}
