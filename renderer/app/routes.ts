/** The workstation's pages and their URL hashes. Pure, so it is unit-tested without a browser. */
import type { ViewState } from '../viewer/viewState.js';

export type Route =
  | { page: 'worklist' }
  | { page: 'study'; studyId: number }
  | {
      page: 'edit';
      studyId: number;
      imageId: number;
      threshold?: number | undefined;
      /** The reading view's zoom, centre and invert, kept by the editor (not in the address). */
      view?: ViewState | undefined;
    }
  | { page: 'learning'; back: Route };

/**
 * The route as a URL hash, so browser Back, reload and deep links work: `#/`, `#/study/12`,
 * `#/study/12/edit/34`, `#/learning`.
 */
export function routeToHash(route: Route): string {
  switch (route.page) {
    case 'worklist':
      return '#/';
    case 'study':
      return `#/study/${route.studyId}`;
    case 'edit':
      return `#/study/${route.studyId}/edit/${route.imageId}`;
    case 'learning':
      return '#/learning';
  }
}

/** The route a hash names; anything unknown is the worklist. */
export function routeFromHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const id = (value: string | undefined): number | null =>
    value && /^\d+$/.test(value) ? Number(value) : null;
  const studyId = parts[0] === 'study' ? id(parts[1]) : null;
  if (studyId !== null && parts[2] === 'edit') {
    const imageId = id(parts[3]);
    if (imageId !== null) return { page: 'edit', studyId, imageId };
  }
  if (studyId !== null) return { page: 'study', studyId };
  if (parts[0] === 'learning') return { page: 'learning', back: { page: 'worklist' } };
  return { page: 'worklist' };
}
