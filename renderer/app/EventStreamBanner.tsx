import { type ReactNode, useEffect, useState } from 'react';
import type { EventStreamControl, EventStreamProblem } from '../api/ApiTransport.js';

/**
 * Says so when this window gets no live updates (import progress, AI results, training): most
 * often because other workstation tabs hold every event stream the server allows. Offers to
 * reconnect once one of them is closed.
 */
export function EventStreamBanner({ stream }: { stream: EventStreamControl | undefined }): ReactNode {
  const [problem, setProblem] = useState<EventStreamProblem | null>(null);
  useEffect(() => stream?.onChange(setProblem), [stream]);
  if (!stream || !problem) return null;
  return (
    <div className="banner error" role="alert" data-testid="event-stream-banner" data-status={problem.status}>
      <strong>
        {problem.status === 429
          ? 'Too many open workstation windows: this one gets no live updates.'
          : 'Live updates stopped in this window.'}
      </strong>{' '}
      Import progress and AI results will not appear here until it reconnects
      {problem.status === 429 ? '; close another workstation tab or window first' : ''}.{' '}
      <span className="notice">({problem.reason})</span>{' '}
      <button type="button" onClick={() => stream.reconnect()}>
        Reconnect
      </button>
    </div>
  );
}
