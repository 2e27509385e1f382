/**
 * The reading view's reference layers: what is known about an image besides the AI, drawn over it
 * on request. Ground truth is the imported data set's labels (mini-MIAS circles, CBIS-DDSM boxes and
 * outlines); corrections are the reader's newest saved mask and added findings. Both start hidden, so a case is read blind first.
 */
import { createContext, useContext } from 'react';
import type { AnnotationFindings } from '../../../main/api/annotations.js';
import type { GroundTruthFinding } from '../../../main/api/domain.js';
import type { MaskRaster } from '../../editing/maskRaster.js';

export type ReferenceLayer = 'groundTruth' | 'corrections';

export type ReferenceLayerVisibility = Record<ReferenceLayer, boolean>;

export const REFERENCE_LAYERS_HIDDEN: ReferenceLayerVisibility = Object.freeze({
  groundTruth: false,
  corrections: false,
});

/** Each layer's colour (its legend swatch is the same): neither the AI's green nor its yellow. */
export const REFERENCE_LAYER_COLOURS: Readonly<Record<ReferenceLayer, string>> = Object.freeze({
  groundTruth: '#ff4dff',
  corrections: '#33ccff',
});

/** The newest saved correction of one image. */
export interface SavedCorrection {
  version: number;
  author: string;
  mask: MaskRaster;
  findings: AnnotationFindings;
}

/** What the reference layers show, shared by the toolbar and every viewport. */
export interface ReferenceLayers {
  visible: ReferenceLayerVisibility;
  /** Ground-truth records per image id (only images that have some). */
  groundTruth: ReadonlyMap<number, readonly GroundTruthFinding[]>;
  /** Outline masks of ground-truth records by record id, fetched the first time the layer is shown. */
  groundTruthOutlines: ReadonlyMap<number, MaskRaster>;
  /** Newest saved correction per image id, once loaded (the corrections layer loads them when first shown). */
  corrections: ReadonlyMap<number, SavedCorrection>;
  /** 'loading' while the corrections are fetched; the message when that failed. */
  correctionsStatus: 'idle' | 'loading' | 'ready' | { error: string };
  toggle(layer: ReferenceLayer): void;
}

export const ReferenceLayersContext = createContext<ReferenceLayers | null>(null);

export function useReferenceLayersContext(): ReferenceLayers | null {
  return useContext(ReferenceLayersContext);
}
