import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { StudyAiState, StudyAnalysisService } from './StudyAnalysisService.js';

/** The page's AI analyses (provided by the app; absent in views that run without AI). */
export const StudyAnalysisContext = createContext<StudyAnalysisService | null>(null);

export function useStudyAnalysisService(): StudyAnalysisService | null {
  return useContext(StudyAnalysisContext);
}

/** A study's AI state, re-rendering on each change; undefined until the study is requested. */
export function useStudyAi(service: StudyAnalysisService | null, studyId: number): StudyAiState | undefined {
  const subscribe = useCallback(
    (onChange: () => void) =>
      service ? service.subscribe((changed) => changed === studyId && onChange()) : () => undefined,
    [service, studyId],
  );
  return useSyncExternalStore(subscribe, () => service?.get(studyId));
}
