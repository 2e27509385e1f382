/**
 * `npm run bench`: runs the benchmarks one after another (they share two cores) and prints one
 * JSON object. `npm run bench -- import decode` runs only those. Each bench runs in a fresh Node
 * process (inFreshProcess), so one bench's peak RSS does not carry what an earlier one left behind
 * (a tfjs wasm heap only grows; malloc keeps what a thread freed).
 */
import { cpus, totalmem } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inFreshProcess } from './benchUtil.js';

/** Bench name -> its module (next to this file) and exported function. */
const BENCHES: Record<string, [module: string, exportName: string]> = {
  import: ['importBench', 'importBench'],
  cbisImport: ['cbisImportBench', 'cbisImportBench'],
  dicomImport: ['dicomImportBench', 'dicomImportBench'],
  breast: ['breastBench', 'breastBench'],
  apiLatency: ['apiLatencyBench', 'apiLatencyBench'],
  decode: ['decodeBench', 'decodeBench'],
  ml: ['mlBench', 'mlBench'],
  inference: ['inferenceBench', 'inferenceBench'],
  memberInference: ['memberInferenceBench', 'memberInferenceBench'],
  training: ['trainingBench', 'trainingBench'],
  viewer: ['viewerBench', 'viewerBench'],
  editorMask: ['editorMaskBench', 'editorMaskBench'],
  pacs: ['pacsBench', 'pacsBench'],
};
const extension = extname(fileURLToPath(import.meta.url));

const wanted = process.argv.slice(2).filter((name) => !name.startsWith('-'));
const results: Record<string, unknown> = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  },
};
for (const [name, [module, exportName]] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  try {
    results[name] = await inFreshProcess(new URL(`./${module}${extension}`, import.meta.url), exportName);
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
