import { type ReactNode, useCallback, useState } from 'react';
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
  return (
    <ApiContext.Provider value={client}>
      <div className="app" data-transport={client.transport}>
        <header className="app-bar">
          <span className="app-name">Mammo Workstation</span>
          <span className="notice">Research software, not a medical device.</span>
        </header>
        <main className="app-main">
          {route.page === 'worklist' ? (
            <Worklist onOpen={open} />
          ) : (
            <StudyViewer client={client} studyId={route.studyId} onClose={close} />
          )}
        </main>
      </div>
    </ApiContext.Provider>
  );
}
