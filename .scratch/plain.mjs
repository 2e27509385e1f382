import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const w = new Worker(new URL('./w.ts', import.meta.url), { execArgv: ['--import', tsx] });
w.on('message', (m) => { console.log('got', m); void w.terminate(); });
w.on('error', (e) => console.error('err', e.message));
