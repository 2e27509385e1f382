import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GroundTruthFinding, StudyDetail } from '../../../main/api/domain.js';
import type { ApiClient } from '../../api/ApiClient.js';
import { decodeMaskPng, type MaskRaster } from '../../editing/maskRaster.js';
import {
  REFERENCE_LAYERS_HIDDEN,
  type ReferenceLayer,
  type ReferenceLayers,
  type ReferenceLayerVisibility,
  type SavedCorrection,
} from './referenceLayers.js';
import { messageOf } from '../../common/messageOf.js';

/**
 * The reference layers of one open study: the ground truth comes with the study's detail (its
 * outline masks are fetched the first time the ground-truth layer is shown); the newest saved
 * correction of each image is fetched the first time the corrections layer is shown.
 */
export function useReferenceLayers(client: ApiClient, detail: StudyDetail | null): ReferenceLayers {
  const [visible, setVisible] = useState<ReferenceLayerVisibility>(REFERENCE_LAYERS_HIDDEN);
  // Corrections belong to the detail they were loaded for; another study starts idle again.
  const [loaded, setLoaded] = useState<CorrectionsLoad | null>(null);
  const current = loaded && loaded.detail === detail ? loaded : null;
  const correctionsStatus = current?.status ?? 'idle';
  const corrections = current?.corrections ?? NO_CORRECTIONS;

  const groundTruth = useMemo(() => {
    const byImage = new Map<number, GroundTruthFinding[]>();
    for (const finding of detail?.groundTruth ?? []) {
      const list = byImage.get(finding.imageId) ?? [];
      list.push(finding);
      byImage.set(finding.imageId, list);
    }
    return byImage;
  }, [detail]);

  const groundTruthOutlines = useGroundTruthOutlines(client, detail, visible.groundTruth);

  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;
  useEffect(() => {
    // Loaded, loading or failed for this study already: nothing to start.
    if (!visible.corrections || !detail || loadedRef.current?.detail === detail) return;
    let cancelled = false;
    setLoaded({ detail, status: 'loading', corrections: NO_CORRECTIONS });
    loadCorrections(client, detail).then(
      (corrections) => !cancelled && setLoaded({ detail, status: 'ready', corrections }),
      (thrown: unknown) =>
        !cancelled &&
        setLoaded({
          detail,
          status: { error: messageOf(thrown) },
          corrections: NO_CORRECTIONS,
        }),
    );
    return () => {
      cancelled = true;
      // Hidden or left before the load ended: the next showing loads again.
      setLoaded((value) => (value?.detail === detail && value.status === 'loading' ? null : value));
    };
  }, [client, detail, visible.corrections]);

  const toggle = useCallback(
    (layer: ReferenceLayer) => setVisible((current) => ({ ...current, [layer]: !current[layer] })),
    [],
  );

  return useMemo(
    () => ({ visible, groundTruth, groundTruthOutlines, corrections, correctionsStatus, toggle }),
    [visible, groundTruth, groundTruthOutlines, corrections, correctionsStatus, toggle],
  );
}

interface CorrectionsLoad {
  detail: StudyDetail;
  status: ReferenceLayers['correctionsStatus'];
  corrections: ReadonlyMap<number, SavedCorrection>;
}

const NO_CORRECTIONS: ReadonlyMap<number, SavedCorrection> = new Map();
const NO_OUTLINES: ReadonlyMap<number, MaskRaster> = new Map();

/**
 * The outline masks of a study's ground truth (CBIS-DDSM ROI masks), fetched once per study when
 * the layer is first shown. Until one arrives, or if it cannot be fetched, its box is drawn.
 */
function useGroundTruthOutlines(
  client: ApiClient,
  detail: StudyDetail | null,
  shown: boolean,
): ReadonlyMap<number, MaskRaster> {
  const [loaded, setLoaded] = useState<{ detail: StudyDetail; outlines: Map<number, MaskRaster> } | null>(
    null,
  );
  const started = useRef<StudyDetail | null>(null);
  useEffect(() => {
    if (!shown || !detail || started.current === detail) return;
    const findings = detail.groundTruth.filter((finding) => finding.outlinePath);
    if (!findings.length) return;
    started.current = detail;
    let cancelled = false;
    void (async () => {
      const outlines = new Map<number, MaskRaster>();
      for (const finding of findings) {
        const { maskPng } = await client.getGroundTruthOutline({ findingId: finding.id }).catch(() => ({
          maskPng: null,
        }));
        if (cancelled) return;
        if (maskPng) outlines.set(finding.id, decodeMaskPng(maskPng));
        // Each outline shows as it arrives.
        setLoaded({ detail, outlines: new Map(outlines) });
      }
    })();
    return () => {
      cancelled = true;
      if (started.current === detail) started.current = null;
    };
  }, [client, detail, shown]);
  return loaded && loaded.detail === detail ? loaded.outlines : NO_OUTLINES;
}

/** The newest saved version of each image of the study (newest first in the API's list: the image's label). */
async function loadCorrections(
  client: ApiClient,
  detail: StudyDetail,
): Promise<Map<number, SavedCorrection>> {
  const loaded = new Map<number, SavedCorrection>();
  for (const image of detail.images) {
    const [newest] = await client.listAnnotations({ imageId: image.id });
    if (!newest) continue;
    const { maskPng } = await client.getAnnotationMask({ annotationId: newest.id });
    loaded.set(image.id, {
      version: newest.version,
      author: newest.author,
      mask: decodeMaskPng(maskPng),
      findings: newest.findings,
    });
  }
  return loaded;
}
