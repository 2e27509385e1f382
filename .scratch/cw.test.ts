import { it, expect } from 'vitest';
import { createWorker } from '../main/common/createWorker.js';
it('works', async () => {
  const w = createWorker(new URL('./w.ts', import.meta.url));
  const m = await new Promise((res, rej) => { w.on('message', res); w.on('error', rej); });
  await w.terminate();
  expect(m).toMatchObject({ v: 42 });
});
