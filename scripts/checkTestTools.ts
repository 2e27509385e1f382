/**
 * `npm test` runs this first: the system tools the tests drive (besides npm's packages) are
 * there, or one line names what is missing and the one command that installs it. Debian 12
 * package names; the paths are the ones the tests use.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DICOMWEB_PLUGIN, ORTHANC_BINARY } from '../test/helpers/orthanc.js';
import { CHROMIUM_PATH } from '../test/e2e/playwright.config.js';

interface TestTool {
  /** What the user is told is missing. */
  name: string;
  /** The Debian package that installs it. */
  packages: readonly string[];
  /** Present when every one of these is (an absolute path, or a command looked up on PATH). */
  needs: readonly string[];
}

export const TEST_TOOLS: readonly TestTool[] = [
  { name: 'Chromium', packages: ['chromium'], needs: [CHROMIUM_PATH] },
  { name: 'poppler', packages: ['poppler-utils'], needs: ['pdftotext', 'pdftoppm'] },
  { name: 'DCMTK', packages: ['dcmtk'], needs: ['dcmdump', 'dsrdump', 'storescu', 'storescp'] },
  { name: 'dicom3tools', packages: ['dicom3tools'], needs: ['dciodvfy'] },
  {
    name: 'Orthanc with its DICOMweb plugin',
    packages: ['orthanc', 'orthanc-dicomweb'],
    needs: [ORTHANC_BINARY, DICOMWEB_PLUGIN],
  },
];

function found(need: string, path: string): boolean {
  const candidates = need.includes('/') ? [need] : path.split(delimiter).map((dir) => join(dir, need));
  return candidates.some((file) => {
    if (!existsSync(file)) return false;
    if (file.endsWith('.so')) return true;
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The tools missing here, or [] when all are present. */
export function missingTestTools(path = process.env['PATH'] ?? ''): TestTool[] {
  return TEST_TOOLS.filter((tool) => !tool.needs.every((need) => found(need, path)));
}

/**
 * One line for the user: what is missing and the one command that installs it.
 *
 * @example
 * missingToolsLine(missingTestTools(), false);
 * // 'npm test needs poppler, which is missing here: sudo apt-get install -y poppler-utils'
 */
export function missingToolsLine(missing: readonly TestTool[], root: boolean): string {
  const names = missing.map((tool) => tool.name);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  const packages = missing.flatMap((tool) => tool.packages).join(' ');
  return `npm test needs ${list}, which ${names.length === 1 ? 'is' : 'are'} missing here: ${root ? '' : 'sudo '}apt-get install -y ${packages}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const missing = missingTestTools();
  if (missing.length) {
    console.error(missingToolsLine(missing, process.getuid?.() === 0));
    process.exit(1);
  }
}
