import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import type { GroundTruthFinding } from '../../../main/api/domain.js';
import { matchBackingStore, useCanvasSize } from '../overlayCanvas.js';
import type { ViewportOverlayProps } from '../ViewportCell.js';
import { drawReferenceLayers, type ReferenceDrawn } from './drawReferenceLayers.js';
import { useReferenceLayersContext } from './referenceLayers.js';

const NO_GROUND_TRUTH: readonly GroundTruthFinding[] = Object.freeze([]);
const NOTHING_DRAWN: ReferenceDrawn = {
  circles: 0,
  boxes: 0,
  outlines: 0,
  imageLevel: 0,
  labels: [],
  correction: false,
};

/**
 * The reference layers of one viewport (ground truth, saved correction) on a canvas above the
 * image, re-projected on every camera change. Render signals for tests: `data-ground-truth`
 * (located records drawn: circles, boxes and outlines, also counted apart), `data-ground-truth-labels`
 * (their labels, " | " between records), `data-ground-truth-image-level` (records without a
 * place) and `data-correction` (a correction drawn), set after each draw.
 */
export function ReferenceOverlay({ image, viewport, cameraVersion }: ViewportOverlayProps): ReactNode {
  const layers = useReferenceLayersContext();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(canvasRef);
  const [drawn, setDrawn] = useState<ReferenceDrawn>(NOTHING_DRAWN);

  const groundTruth = layers?.visible.groundTruth
    ? (layers.groundTruth.get(image.id) ?? NO_GROUND_TRUTH)
    : null;
  const correction = layers?.visible.corrections ? (layers.corrections.get(image.id) ?? null) : null;
  const outlines = layers?.groundTruthOutlines;
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !matchBackingStore(canvas, size)) return;
    const scene = {
      columns: image.columns,
      rows: image.rows,
      groundTruth,
      outlines: outlines ?? new Map(),
      correction,
    };
    const now = drawReferenceLayers(canvas, viewport, scene, size.dpr);
    setDrawn((before) => (sameDrawing(before, now) ? before : now));
    // cameraVersion: the camera moved, so the same scene lands elsewhere.
  }, [viewport, image.columns, image.rows, groundTruth, outlines, correction, size, cameraVersion]);

  if (!layers) return null;
  return (
    <canvas
      ref={canvasRef}
      className="reference-canvas"
      data-testid="reference-layers"
      data-ground-truth={drawn.circles + drawn.boxes + drawn.outlines}
      data-ground-truth-circles={drawn.circles}
      data-ground-truth-boxes={drawn.boxes}
      data-ground-truth-outlines={drawn.outlines}
      data-ground-truth-labels={drawn.labels.join(' | ')}
      data-ground-truth-image-level={drawn.imageLevel}
      data-correction={drawn.correction ? 'true' : 'false'}
    />
  );
}

function sameDrawing(a: ReferenceDrawn, b: ReferenceDrawn): boolean {
  return (
    a.circles === b.circles &&
    a.boxes === b.boxes &&
    a.outlines === b.outlines &&
    a.imageLevel === b.imageLevel &&
    a.correction === b.correction &&
    a.labels.join('\n') === b.labels.join('\n')
  );
}
