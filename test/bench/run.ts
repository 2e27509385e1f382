/**
 * `npm run bench`: runs the benchmarks one after another (they share two cores) and prints one
 * JSON object. `npm run bench -- import decode` runs only those.
 */
import { cpus, totalmem } from 'node:os';
import { importBench } from './importBench.js';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  import: async () => importBench,
  apiLatency: async () => (await import('./apiLatencyBench.js')).apiLatencyBench,
  decode: async () => (await import('./decodeBench.js')).decodeBench,
  ml: async () => (await import('./mlBench.js')).mlBench,
  inference: async () => (await import('./inferenceBench.js')).inferenceBench,
  memberInference: async () => (await import('./memberInferenceBench.js')).memberInferenceBench,
  training: async () => (await import('./trainingBench.js')).trainingBench,
  viewer: async () => (await import('./viewerBench.js')).viewerBench,
  pacs: async () => (await import('./pacsBench.js')).pacsBench,
};

const wanted = process.argv.slice(2).filter((name) => !name.startsWith('-'));
const results: Record<string, unknown> = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  },
};
for (const [name, load] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  try {
    results[name] = await (await load())();
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
