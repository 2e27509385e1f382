/** The custom protocol the UI and images are served from (never file://). */
export const APP_SCHEME = 'mammo';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for a URL on the app's own origin (compared by scheme and host: Node gives custom schemes a null origin). */
export function isAppUrl(url: string | URL): boolean {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}
