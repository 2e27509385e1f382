/** The custom protocol the UI and images are served from (never file://). */
export const APP_SCHEME = 'mammo';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
