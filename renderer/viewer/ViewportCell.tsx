import { Enums, type RenderingEngine, type Types } from '@cornerstonejs/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { Image } from '../../main/api/domain.js';
import { wadoUriImageId } from './cornerstone.js';
import { describeVoi } from './displayPresets.js';
import type { HangingCell, OrientationLabels } from './hanging.js';
import { displayOrientationOf, hangViewport } from './hangViewport.js';
import { OrientationMarkers } from './OrientationMarkers.js';
import { viewerDebug } from './ViewerDebug.js';

/** What an overlay layer (the AI heatmap, outlines, marks) is drawn from, re-rendered on every camera change. */
export interface ViewportOverlayProps {
  image: Image;
  viewport: Types.IStackViewport;
  /** Increments on each camera change, so overlays re-project with `viewport.worldToCanvas`. */
  cameraVersion: number;
}

/** A layer drawn above the image in every viewport; the AI overlay will be one. */
export type ViewportOverlay = (props: ViewportOverlayProps) => ReactNode;

export interface ViewportCellProps {
  engine: RenderingEngine;
  viewportId: string;
  cell: HangingCell & { image: Image };
  imageUrl: string;
  active: boolean;
  fullscreen: boolean;
  overlays: readonly ViewportOverlay[];
  onActivate(): void;
  /** The viewport is ready (image loaded and hung). */
  onReady(viewport: Types.IStackViewport, flip: boolean): void;
  onGone(): void;
  /** First render after hanging (for the open-to-first-image timing). */
  onFirstRender(): void;
}

interface Readout {
  window: { width: number; center: number } | null;
  zoom: number;
  invert: boolean;
}

/** One Cornerstone stack viewport holding one image of the hanging, with its corner labels. */
export function ViewportCell(props: ViewportCellProps): ReactNode {
  const { engine, viewportId, cell, imageUrl } = props;
  const elementRef = useRef<HTMLDivElement>(null);
  const callbacks = useRef(props);
  callbacks.current = props;
  const [viewport, setViewport] = useState<Types.IStackViewport | null>(null);
  const [rendered, setRendered] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [readout, setReadout] = useState<Readout>({ window: null, zoom: 1, invert: false });
  const [cameraVersion, setCameraVersion] = useState(0);
  const [orientation, setOrientation] = useState<OrientationLabels | null>(null);

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    const imageId = wadoUriImageId(imageUrl);
    engine.enableElement({
      viewportId,
      element,
      type: Enums.ViewportType.STACK,
      defaultOptions: { background: [0, 0, 0] },
    });
    const stack = engine.getViewport(viewportId) as Types.IStackViewport;
    const debug = viewerDebug();
    debug.register(viewportId, stack);
    let hung = false;
    let firstRenderSeen = false;
    let cancelled = false;
    let flip = false;

    const updateReadout = (): void => {
      const properties = stack.getProperties();
      setReadout({
        window: properties.voiRange ? describeVoi(properties.voiRange) : null,
        zoom: stack.getZoom(),
        invert: properties.invert ?? false,
      });
    };
    const onRendered = (): void => {
      debug.recordRender(viewportId, performance.now());
      if (!hung) return;
      if (!firstRenderSeen) {
        firstRenderSeen = true;
        setRendered(true);
        callbacks.current.onFirstRender();
      }
    };
    const onCamera = (): void => {
      setCameraVersion((v) => v + 1);
      updateReadout();
    };
    const onLoadError = (): void => setError('the image could not be loaded');
    element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, onCamera);
    element.addEventListener(Enums.Events.VOI_MODIFIED, updateReadout);
    element.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);

    stack
      .setStack([imageId])
      .then(() => {
        if (cancelled) return;
        const display = displayOrientationOf(stack, cell.laterality, cell.view);
        flip = display.flip;
        setOrientation(display.labels);
        hangViewport(stack, cell.align, flip);
        hung = true;
        setViewport(stack);
        updateReadout();
        callbacks.current.onReady(stack, flip);
        stack.render();
      })
      .catch((thrown: unknown) => {
        if (!cancelled) setError(thrown instanceof Error ? thrown.message : 'the image could not be loaded');
      });

    // Keep the canvas matched to the cell (window resize, full screen) and the image hung.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (cancelled || !element.clientWidth || !element.clientHeight) return;
        engine.resize(true, true);
        if (hung) hangViewport(stack, cell.align, flip);
      });
    });
    observer.observe(element);

    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      observer.disconnect();
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, onCamera);
      element.removeEventListener(Enums.Events.VOI_MODIFIED, updateReadout);
      element.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      debug.unregister(viewportId);
      callbacks.current.onGone();
      setViewport(null);
      setRendered(false);
      engine.disableElement(viewportId);
    };
  }, [engine, viewportId, imageUrl, cell.laterality, cell.view, cell.align]);

  const image = cell.image;
  return (
    <div
      className={`viewport-cell${props.active ? ' active' : ''}${props.fullscreen ? ' fullscreen' : ''}`}
      data-testid="viewport"
      data-viewport-id={viewportId}
      data-view={cell.label}
      data-key={cell.key}
      data-laterality={cell.laterality ?? ''}
      data-align={cell.align}
      data-rendered={rendered ? 'true' : 'false'}
      onPointerDown={props.onActivate}
      onContextMenu={(event) => event.preventDefault()}
    >
      <div className="viewport-element" ref={elementRef} />
      {viewport && (
        <div className="viewport-overlays">
          {props.overlays.map((Overlay, index) => (
            <Overlay key={index} image={image} viewport={viewport} cameraVersion={cameraVersion} />
          ))}
        </div>
      )}
      <OrientationMarkers labels={orientation} />
      <div className={`viewport-label ${cell.align === 'right' ? 'at-left' : 'at-right'}`}>{cell.name}</div>
      <div className={`viewport-readout ${cell.align === 'right' ? 'at-left' : 'at-right'}`}>
        {readout.window && `W ${readout.window.width} L ${readout.window.center}`}
        {` · ${Math.round(readout.zoom * 100)}%`}
        {readout.invert ? ' · inv' : ''}
        {` · ${image.columns}×${image.rows}`}
        {image.pixelSpacingMm ? '' : ' · no spacing'}
        {image.pixelSpacingSource === 'estimated' && (
          // A guessed scale must never look measured: every mm shown on this image rests on it.
          <span className="spacing-estimated" title={image.pixelSpacingNote} data-testid="spacing-estimated">
            {` · ${image.pixelSpacingMm?.[1] ?? '?'} mm/px estimated`}
          </span>
        )}
      </div>
      {error && (
        <div className="viewport-error" role="alert">
          {cell.name}: {error}
        </div>
      )}
    </div>
  );
}
