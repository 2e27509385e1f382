import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { StudyAnalysisContext } from '../ai/AiContext.js';
import { StudyAnalysisService } from '../ai/StudyAnalysisService.js';
import type { ApiClient } from '../api/ApiClient.js';
import { ApiContext } from '../api/ApiContext.js';
import { StudyViewer } from '../viewer/StudyViewer.js';
import { Worklist } from '../worklist/Worklist.js';

type Route = { page: 'worklist' } | { page: 'study'; studyId: number };

/** The workstation's two pages: the worklist and the reading view of one study. */
export function App({ client }: { client: ApiClient }): ReactNode {
  const [route, setRoute] = useState<Route>({ page: 'worklist' });
  const open = useCallback((studyId: number) => {
    performance.clearMarks();
    performance.mark('mammo:study-open');
    setRoute({ page: 'study', studyId });
  }, []);
  const close = useCallback(() => setRoute({ page: 'worklist' }), []);
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
          </header>
          <main className="app-main">
            {route.page === 'worklist' ? (
              <Worklist onOpen={open} />
            ) : (
              <StudyViewer client={client} studyId={route.studyId} onClose={close} ai={ai} />
            )}
          </main>
        </div>
      </StudyAnalysisContext.Provider>
    </ApiContext.Provider>
  );
}
