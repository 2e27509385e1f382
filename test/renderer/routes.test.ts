import { describe, expect, it } from 'vitest';
import { type Route, routeFromHash, routeToHash } from '../../renderer/app/routes.js';

describe('hash routes', () => {
  it('round-trips every page through its hash, so reload and deep links land where the reader was', () => {
    const routes: Route[] = [
      { page: 'worklist' },
      { page: 'study', studyId: 12 },
      { page: 'edit', studyId: 12, imageId: 34 },
    ];
    for (const route of routes) expect(routeFromHash(routeToHash(route))).toEqual(route);
    expect(routeToHash({ page: 'study', studyId: 7 })).toBe('#/study/7');
    expect(routeFromHash('#/learning')).toMatchObject({ page: 'learning' });
  });

  it('treats an empty or unknown hash as the worklist', () => {
    for (const hash of ['', '#', '#/', '#/study/x', '#/nothing', '#/study/1e3'])
      expect(routeFromHash(hash)).toEqual({ page: 'worklist' });
  });
});
