import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { StudyAnalysisContext } from '../ai/AiContext.js';
import { StudyAnalysisService } from '../ai/StudyAnalysisService.js';
import type { ApiClient } from '../api/ApiClient.js';
import { ApiContext } from '../api/ApiContext.js';
import { MaskEditor } from '../editing/MaskEditor.js';
import { LearningPanel } from '../learning/LearningPanel.js';
import { NextCaseButtons } from '../learning/NextCaseButtons.js';
import { ReportPanel } from '../reports/ReportPanel.js';
import { StudyViewer } from '../viewer/StudyViewer.js';
import type { ViewState } from '../viewer/viewState.js';
import { WorklistTabs } from '../worklist/WorklistTabs.js';
import { About } from './About.js';
import { EventStreamBanner } from './EventStreamBanner.js';
import { type Route, routeFromHash, routeToHash } from './routes.js';

/** The workstation's two pages: the worklist and the reading view of one study. */
export function App({ client }: { client: ApiClient }): ReactNode {
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  // The URL hash the route was last in step with. A hash that differs from it changed outside the
  // app (typed, a link, a script) and wins over the route; one equal to it is the app's to replace.
  const syncedHash = useRef(window.location.hash);
  const followHash = useCallback((): void => {
    syncedHash.current = window.location.hash;
    setRoute((current) => {
      const next = routeFromHash(window.location.hash);
      return routeToHash(next) === routeToHash(current) ? current : next;
    });
  }, []);
  // Each page change is a history entry; Back and Forward (hashchange) move between them.
  useEffect(() => {
    const hash = routeToHash(route);
    if (window.location.hash === hash) syncedHash.current = hash;
    // Changed before the hashchange listener below existed (the first moments after load).
    else if (window.location.hash !== syncedHash.current) followHash();
    else {
      // The first sync only spells the loaded URL's route ('' -> '#/'): no history entry for it.
      if (syncedHash.current === '') window.history.replaceState(null, '', hash);
      else window.history.pushState(null, '', hash);
      syncedHash.current = hash;
    }
  }, [route, followHash]);
  useEffect(() => {
    window.addEventListener('hashchange', followHash);
    window.addEventListener('popstate', followHash);
    return () => {
      window.removeEventListener('hashchange', followHash);
      window.removeEventListener('popstate', followHash);
    };
  }, [followHash]);
  const open = useCallback((studyId: number) => {
    performance.clearMarks();
    performance.mark('mammo:study-open');
    setRoute({ page: 'study', studyId });
  }, []);
  const close = useCallback(() => setRoute({ page: 'worklist' }), []);
  // The correction editor and the Learning panel (issue 6).
  const [lastEdited, setLastEdited] = useState<number | null>(null);
  const edit = useCallback(
    (studyId: number, imageId: number, threshold?: number, view?: ViewState | null) => {
      setLastEdited(imageId);
      setRoute({ page: 'edit', studyId, imageId, threshold, ...(view ? { view } : {}) });
    },
    [],
  );
  const nextCase = (excludeStudyId?: number): ReactNode => (
    <NextCaseButtons
      client={client}
      {...(excludeStudyId ? { excludeStudyId } : {})}
      onOpen={(next) => edit(next.studyId, next.imageId)}
    />
  );
  // The report panel (issue 7), beside the viewer while its study is open.
  const [reportOf, setReportOf] = useState<number | null>(null);
  // Outlives the viewer, so analyses go on (and show in the worklist) after a study is closed.
  const ai = useMemo(() => new StudyAnalysisService(client), [client]);
  useEffect(() => () => ai.dispose(), [ai]);
  return (
    <ApiContext.Provider value={client}>
      <StudyAnalysisContext.Provider value={ai}>
        <div className="app" data-transport={client.transport}>
          <header className="app-bar">
            <span className="app-name">Mammo Workstation</span>
            <span className="notice">Research software, not a medical device.</span>
            <button
              type="button"
              onClick={() => setRoute((r) => (r.page === 'learning' ? r : { page: 'learning', back: r }))}
            >
              Learning
            </button>
            <About />
          </header>
          <EventStreamBanner stream={client.eventStream} />
          <main className="app-main">
            {route.page === 'worklist' ? (
              <WorklistTabs onOpen={open} />
            ) : route.page === 'study' ? (
              <StudyViewer
                client={client}
                studyId={route.studyId}
                onClose={close}
                ai={ai}
                actions={({ image, aiThreshold, view }) => (
                  <button
                    type="button"
                    data-testid="edit-image"
                    title="Correct the AI mask of the active view"
                    onClick={() => edit(route.studyId, image.id, aiThreshold ?? undefined, view())}
                  >
                    Edit
                  </button>
                )}
                onReport={() => setReportOf((open) => (open === route.studyId ? null : route.studyId))}
              />
            ) : route.page === 'edit' ? (
              <MaskEditor
                key={route.imageId}
                client={client}
                studyId={route.studyId}
                imageId={route.imageId}
                {...(route.threshold !== undefined ? { threshold: route.threshold } : {})}
                {...(route.view ? { view: route.view } : {})}
                onClose={() => open(route.studyId)}
                onLearning={() => setRoute({ page: 'learning', back: route })}
                toolbarExtras={nextCase(route.studyId)}
              />
            ) : (
              <LearningPanel
                client={client}
                imageId={lastEdited}
                onClose={() => setRoute(route.back)}
                toolbarExtras={nextCase()}
              />
            )}
            {route.page === 'study' && reportOf === route.studyId && (
              <ReportPanel client={client} studyId={route.studyId} onClose={() => setReportOf(null)} />
            )}
          </main>
        </div>
      </StudyAnalysisContext.Provider>
    </ApiContext.Provider>
  );
}
