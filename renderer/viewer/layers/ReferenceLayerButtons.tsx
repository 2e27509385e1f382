import type { ReactNode } from 'react';
import { VIEWER_SHORTCUTS } from '../../app/shortcuts.js';
import { REFERENCE_LAYER_COLOURS, type ReferenceLayer, type ReferenceLayers } from './referenceLayers.js';
import './referenceLayers.css';

const LAYERS: { layer: ReferenceLayer; label: string; legend: string }[] = [
  {
    layer: 'groundTruth',
    label: 'Truth',
    legend:
      "Imported ground truth, labelled with class and pathology (BI-RADS assessment and subtlety where the data set grades them): the lesion's own outline solid, a box or ring dashed; a record without a place is named at the top of its image",
  },
  {
    layer: 'corrections',
    label: 'Saved',
    legend: 'Newest saved correction (tinted mask; crosses: findings the reader added, boxed when outlined)',
  },
];

const keyOf = (layer: ReferenceLayer): string =>
  VIEWER_SHORTCUTS.find(
    (s) => s.command === (layer === 'groundTruth' ? 'layerGroundTruth' : 'layerCorrections'),
  )?.keys[0]?.toUpperCase() ?? '';

/**
 * The toolbar's reference-layer toggles; each swatch is the layer's colour on the images, so the
 * group is also the legend. The counts say what a layer holds in this study (ground-truth records,
 * images with a saved correction).
 */
export function ReferenceLayerButtons({ layers }: { layers: ReferenceLayers }): ReactNode {
  const count = (layer: ReferenceLayer): string => {
    if (layer === 'groundTruth') {
      let records = 0;
      for (const findings of layers.groundTruth.values()) records += findings.length;
      return String(records);
    }
    const status = layers.correctionsStatus;
    if (status === 'ready') return String(layers.corrections.size);
    if (status === 'loading') return '…';
    return typeof status === 'object' ? '!' : '';
  };
  const error = typeof layers.correctionsStatus === 'object' ? layers.correctionsStatus.error : null;
  return (
    <span className="toolbar-group reference-layers" role="group" aria-label="Reference layers">
      {LAYERS.map(({ layer, label, legend }) => {
        const shown = count(layer);
        return (
          <button
            key={layer}
            type="button"
            aria-pressed={layers.visible[layer]}
            data-testid={`layer-${layer}`}
            title={`${legend} (${keyOf(layer)})${layer === 'corrections' && error ? `: ${error}` : ''}`}
            onClick={() => layers.toggle(layer)}
          >
            <span
              className="layer-swatch"
              style={{ borderColor: REFERENCE_LAYER_COLOURS[layer] }}
              aria-hidden
            />
            {label}
            {shown && ` (${shown})`}
          </button>
        );
      })}
    </span>
  );
}
