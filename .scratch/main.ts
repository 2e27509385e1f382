import { createWorker } from '../main/common/createWorker.js';
const w = createWorker(new URL('./w.ts', import.meta.url));
w.on('message', (m) => { console.log('got', m); void w.terminate(); });
w.on('error', (e) => console.error('err', e));
