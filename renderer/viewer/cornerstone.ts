/**
 * One-time set-up of Cornerstone3D: the rendering core, the DICOM image loader (decode workers)
 * and the tools the viewer binds. Guarded, because React StrictMode runs effects twice.
 */
import { init as initCore, metaData } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { PanTool, WindowLevelTool, ZoomTool, addTool, init as initTools } from '@cornerstonejs/tools';

let ready: Promise<void> | null = null;

/** Resolves once Cornerstone can render; later calls share the first. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    initCore();
    initDicomImageLoader({
      maxWebWorkers: Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1)),
    });
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
 * A DICOM attribute of a loaded image by keyword, from the naturalized data set the wadouri
 * loader records, e.g. `PatientOrientation` -> ['P', 'F']. Multi-valued strings come back split.
 */
export function dicomValues(imageId: string, keyword: string): string[] {
  const natural = metaData.get('naturalized', imageId) as Record<string, unknown> | undefined;
  const value = natural?.[keyword];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split('\\');
  return [];
}
