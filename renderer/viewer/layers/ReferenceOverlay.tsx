import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import type { GroundTruthFinding } from '../../../main/api/domain.js';
import { matchBackingStore, useCanvasSize } from '../overlayCanvas.js';
import type { ViewportOverlayProps } from '../ViewportCell.js';
import { drawReferenceLayers, type ReferenceDrawn } from './drawReferenceLayers.js';
import { useReferenceLayersContext } from './referenceLayers.js';

const NO_GROUND_TRUTH: readonly GroundTruthFinding[] = Object.freeze([]);

/**
 * The reference layers of one viewport (ground truth, saved correction) on a canvas above the
 * image, re-projected on every camera change. Render signals for tests: `data-ground-truth`
 * (circles drawn), `data-ground-truth-image-level` (records without a centre) and
 * `data-correction` (a correction drawn), set after each draw.
 */
export function ReferenceOverlay({ image, viewport, cameraVersion }: ViewportOverlayProps): ReactNode {
  const layers = useReferenceLayersContext();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(canvasRef);
  const [drawn, setDrawn] = useState<ReferenceDrawn>({ circles: 0, imageLevel: 0, correction: false });

  const groundTruth = layers?.visible.groundTruth
    ? (layers.groundTruth.get(image.id) ?? NO_GROUND_TRUTH)
    : null;
  const correction = layers?.visible.corrections ? (layers.corrections.get(image.id) ?? null) : null;
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !matchBackingStore(canvas, size)) return;
    const scene = { columns: image.columns, rows: image.rows, groundTruth, correction };
    const now = drawReferenceLayers(canvas, viewport, scene, size.dpr);
    setDrawn((before) =>
      before.circles === now.circles &&
      before.imageLevel === now.imageLevel &&
      before.correction === now.correction
        ? before
        : now,
    );
    // cameraVersion: the camera moved, so the same scene lands elsewhere.
  }, [viewport, image.columns, image.rows, groundTruth, correction, size, cameraVersion]);

  if (!layers) return null;
  return (
    <canvas
      ref={canvasRef}
      className="reference-canvas"
      data-testid="reference-layers"
      data-ground-truth={drawn.circles}
      data-ground-truth-image-level={drawn.imageLevel}
      data-correction={drawn.correction ? 'true' : 'false'}
    />
  );
}
