import { Enums as CoreEnums, RenderingEngine, type Types } from '@cornerstonejs/core';
import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import type { Image } from '../../main/api/domain.js';
import type { ApiClient } from '../api/ApiClient.js';
import { initCornerstone, wadoUriImageId } from '../viewer/cornerstone.js';
import { lateralityOf, type OrientationLabels } from '../viewer/hanging.js';
import { displayOrientationOf, hangViewport } from '../viewer/hangViewport.js';
import { applyViewState, type ViewState } from '../viewer/viewState.js';
import { LabelmapSession } from './LabelmapSession.js';
import { messageOf } from '../common/messageOf.js';

let nextEditor = 1;

export interface EditorViewportOptions {
  client: ApiClient;
  /** The image to edit; nothing is set up before its record is there. */
  image: Image | null;
  /** The element Cornerstone renders into. */
  element: RefObject<HTMLDivElement | null>;
  /** The reading view's zoom, centre and invert: counts only when the viewport opens. */
  view: ViewState | undefined;
  onError(message: string): void;
  /** The labelmap session ended (the image changed or the editor closed). */
  onEnd(): void;
}

export interface EditorViewport {
  /** The labelmap being edited, once the image is shown; null before and after. */
  session: LabelmapSession | null;
  orientation: OrientationLabels | null;
  /** Counts camera changes (zoom, pan), for what is drawn over the image. */
  cameraVersion: number;
}

/**
 * One Cornerstone3D rendering engine, stack viewport and labelmap session per editor: the image
 * hung exactly as the reading view hangs it (the same flip, centred), at the reading view's zoom,
 * centre and invert. Everything is destroyed when the editor closes or the image changes.
 */
export function useEditorViewport(options: EditorViewportOptions): EditorViewport {
  const { client, image, element: elementRef } = options;
  const editorId = useMemo(() => `mammo-editor-${nextEditor++}`, []);
  const [session, setSession] = useState<LabelmapSession | null>(null);
  const [orientation, setOrientation] = useState<OrientationLabels | null>(null);
  const [cameraVersion, setCameraVersion] = useState(0);
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const element = elementRef.current;
    if (!element || !image) return;
    let cancelled = false;
    let engine: RenderingEngine | null = null;
    let created: LabelmapSession | null = null;
    const onCamera = (): void => setCameraVersion((v) => v + 1);
    void (async () => {
      await initCornerstone();
      if (cancelled) return;
      engine = new RenderingEngine(`${editorId}-engine`);
      const viewportId = `${editorId}-viewport`;
      engine.enableElement({
        viewportId,
        element,
        type: CoreEnums.ViewportType.STACK,
        defaultOptions: { background: [0, 0, 0] },
      });
      const viewport = engine.getViewport(viewportId) as Types.IStackViewport;
      element.addEventListener(CoreEnums.Events.CAMERA_MODIFIED, onCamera);
      try {
        await viewport.setStack([wadoUriImageId(client.imageUrl(image.id))]);
      } catch (thrown) {
        if (!cancelled) latest.current.onError(`the image could not be loaded (${messageOf(thrown)})`);
        return;
      }
      if (cancelled) return;
      // Exactly the reading view's orientation (the same flip); one image, so centred.
      const display = displayOrientationOf(viewport, lateralityOf(image), image.view);
      setOrientation(display.labels);
      hangViewport(viewport, 'center', display.flip);
      const { view } = latest.current;
      if (view) applyViewState(viewport, view);
      created = LabelmapSession.create(viewport);
      setSession(created);
    })();
    return () => {
      cancelled = true;
      element.removeEventListener(CoreEnums.Events.CAMERA_MODIFIED, onCamera);
      created?.dispose();
      setSession(null);
      latest.current.onEnd();
      engine?.destroy();
    };
    // The reading view's state counts only when the editor opens.
  }, [client, image, editorId, elementRef]);

  return { session, orientation, cameraVersion };
}
