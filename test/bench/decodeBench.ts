import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The two WG04 renditions of the MG1 film (4664 x 3064, 12-bit): JPEG 2000 and 12-bit lossy JPEG. */
const DATA_DIR = fileURLToPath(new URL('../../../shared/data/dicom-wg04/', import.meta.url));
const FILES = ['MG1_J2KI.dcm', 'MG1_JPLY.dcm'];

/**
 * Decode time and peak memory per file, each measured in its own child process so that one
 * file's codec heap and buffers do not inflate the next one's peak RSS.
 *
 * Per file: `coldMs` (first decode, includes codec load/compile), `warmMs` (second decode in the
 * same process), `peakRssMb` (process max RSS after the first decode), `baselineRssMb` (RSS before
 * decoding, with the file read and modules loaded).
 */
export async function decodeBench(): Promise<Record<string, unknown>> {
  if (!existsSync(DATA_DIR)) return { skipped: true, reason: `data directory not found: ${DATA_DIR}` };
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const script = fileURLToPath(new URL('./decodeOne.ts', import.meta.url));
  const files: Record<string, unknown> = {};
  for (const name of FILES) {
    const path = `${DATA_DIR}${name}`;
    if (!existsSync(path)) {
      files[name] = { skipped: true, reason: 'file not found' };
      continue;
    }
    try {
      const { stdout } = await run(process.execPath, ['--import', tsxLoader, script, path], {
        timeout: 120_000,
      });
      files[name] = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as unknown;
    } catch (error) {
      files[name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { dataDir: DATA_DIR, files };
}
