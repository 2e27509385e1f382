import { shownFindings } from '../../ai/shownFindings.js';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { StudyDetail } from '../../../main/api/domain.js';
import { useStudyAi } from '../../ai/AiContext.js';
import { AI_DISPLAY_DEFAULTS, MAX_LISTED_FINDINGS_PER_VIEW } from '../../ai/constants.js';
import { type MapRegion, thresholdLevel } from '../../ai/probabilityMap.js';
import { defaultDisplayThreshold } from './operatingPoint.js';
import type { StudyAiState, StudyAnalysisService } from '../../ai/StudyAnalysisService.js';
import type { AiCommand } from '../../app/shortcuts.js';

export interface AiDisplaySettings {
  /** All AI display at once (the `A` key). */
  visible: boolean;
  heatmap: boolean;
  outline: boolean;
  /** Heatmap opacity, 0..1. */
  opacity: number;
  /** Outline threshold on the probability, 0..1, in steps of 0.01. */
  threshold: number;
  /** Finding marks drawn per image, strongest first. */
  marksPerImage: number;
}

/** A finding at the current threshold, with the view it is in. */
export interface ListedFinding {
  imageId: number;
  view: string;
  region: MapRegion;
}

export interface FindingRef {
  imageId: number;
  index: number;
}

/** What the viewer's AI parts (overlay, panel, status) share. */
export interface AiDisplay {
  state: StudyAiState | undefined;
  settings: AiDisplaySettings;
  /** The 8-bit map level of the threshold. */
  level: number;
  findings: ListedFinding[];
  selected: FindingRef | null;
  /** The latest request to centre a view on a finding; `seq` tells repeated requests apart. */
  focus: (FindingRef & { seq: number }) | null;
  run(command: AiCommand): void;
  set(patch: Partial<AiDisplaySettings>): void;
  /** Selects a finding and centres its view on it. */
  select(finding: FindingRef): void;
  /** An overlay drew its map (for the open-to-overlay timing). */
  reportDrawn(imageId: number): void;
}

export const AiDisplayContext = createContext<AiDisplay | null>(null);

export function useAiDisplayContext(): AiDisplay | null {
  return useContext(AiDisplayContext);
}

const roundStep = (value: number, step: number): number => Math.round(value / step) * step;
const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

function clampThreshold(value: number): number {
  const { thresholdMin, thresholdMax, thresholdStep } = AI_DISPLAY_DEFAULTS;
  return +clamp(roundStep(value, thresholdStep), thresholdMin, thresholdMax).toFixed(2);
}

/**
 * The AI display of one open study: requests its analysis, holds the reader's settings and
 * selection, and lists the findings at the current threshold.
 *
 * @param viewLabels Hanging label of each image id (for the findings list).
 */
export function useAiDisplay(
  service: StudyAnalysisService | null,
  studyId: number,
  detail: StudyDetail | null,
  viewLabels: ReadonlyMap<number, string>,
): AiDisplay {
  const state = useStudyAi(service, studyId);
  const [settings, setSettings] = useState<AiDisplaySettings>({
    visible: AI_DISPLAY_DEFAULTS.visible,
    heatmap: AI_DISPLAY_DEFAULTS.heatmap,
    outline: AI_DISPLAY_DEFAULTS.outline,
    opacity: AI_DISPLAY_DEFAULTS.opacity,
    threshold: AI_DISPLAY_DEFAULTS.threshold,
    marksPerImage: AI_DISPLAY_DEFAULTS.marksPerImage,
  });
  const [selected, setSelected] = useState<FindingRef | null>(null);
  const [focus, setFocus] = useState<AiDisplay['focus']>(null);
  const thresholdTouched = useRef(false);
  const drawn = useRef(new Set<number>());

  useEffect(() => {
    if (service && detail && detail.study.id === studyId) service.request(studyId, detail.images);
  }, [service, studyId, detail]);

  // The model card's operating point, until the reader moves the slider.
  const thresholds = state?.model?.card.thresholds;
  const cardThreshold = thresholds ? defaultDisplayThreshold(thresholds) : undefined;
  useEffect(() => {
    if (cardThreshold === undefined || thresholdTouched.current) return;
    setSettings((current) => ({ ...current, threshold: clampThreshold(cardThreshold) }));
  }, [cardThreshold]);

  const level = thresholdLevel(settings.threshold);
  // Finding numbers belong to one threshold.
  useEffect(() => setSelected(null), [level]);
  const findings = useMemo(() => {
    if (!state) return [];
    return state.imageIds.flatMap((imageId) => {
      const image = state.images[imageId];
      if (!image?.map) return [];
      const view = viewLabels.get(imageId) ?? `#${imageId}`;
      // The API's findings: the same set as the editor, the CLI, the SR and the report.
      return shownFindings(image.prediction, settings.threshold, MAX_LISTED_FINDINGS_PER_VIEW).map(
        (region) => ({
          imageId,
          view,
          region,
        }),
      );
    });
  }, [state, settings.threshold, viewLabels]);

  const set = useCallback((patch: Partial<AiDisplaySettings>) => {
    if (patch.threshold !== undefined) thresholdTouched.current = true;
    setSettings((current) => ({
      ...current,
      ...patch,
      opacity: clamp(patch.opacity ?? current.opacity, 0, 1),
      threshold: clampThreshold(patch.threshold ?? current.threshold),
      marksPerImage: Math.round(
        clamp(patch.marksPerImage ?? current.marksPerImage, 0, AI_DISPLAY_DEFAULTS.marksPerImageMax),
      ),
    }));
  }, []);

  const select = useCallback((finding: FindingRef) => {
    setSelected(finding);
    setFocus((previous) => ({ ...finding, seq: (previous?.seq ?? 0) + 1 }));
  }, []);

  const findingsRef = useRef(findings);
  findingsRef.current = findings;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const run = useCallback(
    (command: AiCommand) => {
      const { opacityStep, thresholdStep } = AI_DISPLAY_DEFAULTS;
      switch (command) {
        case 'aiToggle':
          setSettings((s) => ({ ...s, visible: !s.visible }));
          break;
        case 'aiHeatmap':
          setSettings((s) => ({ ...s, heatmap: !s.heatmap }));
          break;
        case 'aiOutline':
          setSettings((s) => ({ ...s, outline: !s.outline }));
          break;
        case 'aiThresholdDown':
        case 'aiThresholdUp':
          thresholdTouched.current = true;
          setSettings((s) => ({
            ...s,
            threshold: clampThreshold(
              s.threshold + (command === 'aiThresholdUp' ? thresholdStep : -thresholdStep),
            ),
          }));
          break;
        case 'aiOpacityDown':
        case 'aiOpacityUp':
          setSettings((s) => ({
            ...s,
            opacity: +clamp(
              s.opacity + (command === 'aiOpacityUp' ? opacityStep : -opacityStep),
              0,
              1,
            ).toFixed(2),
          }));
          break;
        case 'aiNextFinding': {
          const list = findingsRef.current;
          if (!list.length) break;
          const current = selectedRef.current;
          const at = current
            ? list.findIndex((f) => f.imageId === current.imageId && f.region.index === current.index)
            : -1;
          const next = list[(at + 1) % list.length]!;
          setSettings((s) => (s.visible ? s : { ...s, visible: true }));
          select({ imageId: next.imageId, index: next.region.index });
          break;
        }
      }
    },
    [select],
  );

  const imageCount = state?.imageIds.length ?? 0;
  const reportDrawn = useCallback(
    (imageId: number) => {
      const seen = drawn.current;
      if (seen.has(imageId)) return;
      seen.add(imageId);
      if (seen.size === 1) performance.mark('mammo:first-overlay');
      if (seen.size === imageCount) performance.mark('mammo:all-overlays');
    },
    [imageCount],
  );

  return useMemo(
    () => ({ state, settings, level, findings, selected, focus, run, set, select, reportDrawn }),
    [state, settings, level, findings, selected, focus, run, set, select, reportDrawn],
  );
}
