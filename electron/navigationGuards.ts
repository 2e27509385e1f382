/**
 * Keeps every web contents on the app: a navigation, a server redirect or a sub-frame's navigation
 * to anything but the app's own protocol is cancelled, and no new window opens.
 */
import type { WebContents } from 'electron';
import { isAppUrl } from './constants.js';

/** The parts of `WebContents` the guards use. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** What each guarded event hands its listener first: where it would go, and how to stop it. */
interface Departure {
  readonly url: string;
  preventDefault(): void;
}

function keepInApp(departure: Departure): void {
  if (!isAppUrl(departure.url)) departure.preventDefault();
}

/**
 * @example
 * app.on('web-contents-created', (_event, contents) => guardNavigation(contents));
 */
export function guardNavigation(contents: GuardedContents): void {
  contents.on('will-navigate', keepInApp);
  // A navigation the app allowed may be redirected elsewhere by whatever answers it.
  contents.on('will-redirect', keepInApp);
  // will-navigate covers the main frame only; an iframe's navigation comes here.
  contents.on('will-frame-navigate', keepInApp);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
