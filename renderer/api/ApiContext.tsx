import { createContext, useContext, useEffect, useRef } from 'react';
import type { ApiEventName, ApiEventPayloads } from '../../main/api/contract.js';
import type { ApiClient } from './ApiClient.js';

export const ApiContext = createContext<ApiClient | null>(null);

/** The page's API client (from the nearest ApiContext provider). */
export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi: no ApiContext provider');
  return client;
}

/** Subscribes to a back-end event for the component's lifetime; the latest `listener` is always called. */
export function useApiEvent<E extends ApiEventName>(
  event: E,
  listener: (payload: ApiEventPayloads[E]) => void,
): void {
  const client = useApi();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => client.subscribe(event, (payload) => latest.current(payload)), [client, event]);
}
